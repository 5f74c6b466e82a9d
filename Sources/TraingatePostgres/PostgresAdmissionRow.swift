import NIOCore
import PolicyEngine
import PostgresNIO
import StrictDocuments
import TraingateStore

/// Reads admissions back as `StoredAdmission`, with what each shares with its audit entry
/// (time, policy version, hash), its reason list, its image's metadata (never its bytes), and
/// the subject's key, which opens the image id.
enum PostgresAdmissionRow {
    static let select = """
        SELECT a.id, a.source, a.image_id_sealed, \(PostgresSubjectKeys.columns), a.image_key, a.subject_ref, a.request_hash, a.decision, r.reasons, a.jurisdictions, a.signals,
            a.policy_id, a.audit_seq, a.queued, a.image_sha256, a.superseded_by, a.api_key, a.erased_at, e.at, k.version, e.hash,
            i.byte_count, i.content_type, i.width, i.height, i.phash
        FROM admission a JOIN audit_entry e ON e.seq = a.audit_seq JOIN reason_list r ON r.id = a.reasons
        LEFT JOIN known_policy_version k ON k.id = e.policy_version LEFT JOIN image i ON i.sha256 = a.image_sha256
        \(PostgresSubjectKeys.joined(on: "a.subject_ref"))
        """

    typealias Columns = (
        String, String, ByteBuffer?, ByteBuffer?, Int32?, ByteBuffer?, ByteBuffer?, ByteBuffer?, ByteBuffer?, String, String, String, String, String,
        Int64, Bool,
        String?, String?, String?,
        String?, String, String?, ByteBuffer, Int32?, String?, Int32?, Int32?, Int64?
    )

    /// The admissions `rows` hold, in order.
    static func decode(_ rows: PostgresRowSequence, keys: PostgresSubjectKeys) async throws -> [StoredAdmission] {
        var admissions: [StoredAdmission] = []
        // Rows of one subject share its key: unwrapped once.
        var subjectKeys: [ByteBuffer: SubjectKey] = [:]
        for try await columns in rows.decode(Columns.self) {
            let (id, source, sealedImageID, wrapped, bucket, bucketWrapped, imageKey, lookup) = (
                columns.0, columns.1, columns.2, columns.3, columns.4, columns.5, columns.6, columns.7
            )
            var key: SubjectKey?
            if let lookup, let wrapped, let bucket, let bucketWrapped {
                key =
                    try subjectKeys[lookup]
                    ?? keys.subjectKey(lookup: lookup, wrapped: wrapped, bucket: bucket, bucketWrapped: bucketWrapped)
                subjectKeys[lookup] = key
            }
            let imageID = try PostgresSealedAdmission.imageID(
                sealedImageID, imageKey: imageKey, source: source, admissionID: id, key: key, keyring: keys.keyring)
            admissions.append(try admission(columns, imageID: imageID))
        }
        return admissions
    }

    /// A row's admission. A row whose JSON columns or decision do not decode is reported, never
    /// served with silently emptied reasons.
    private static func admission(_ columns: Columns, imageID: String) throws -> StoredAdmission {
        let (
            id, source, _, _, _, _, _, subjectRef, requestHash, decision, reasons, jurisdictions, signals, policyID, auditSeq, queued,
            imageSHA256, supersededBy, apiKey, erasedAt, decidedAt, policyVersion, auditHash, byteCount, contentType, width, height,
            phash
        ) = columns
        func decoded<T: Decodable>(_ type: T.Type, _ text: String, _ column: String) throws -> T {
            guard let value = JSONText.decode(type, from: text) else { throw StoreError.corruptRecord(id: id, column: column) }
            return value
        }
        guard let verdict = Verdict(rawValue: decision) else { throw StoreError.corruptRecord(id: id, column: "decision") }
        return StoredAdmission(
            id: id, source: source, imageID: imageID, subjectRef: hex(subjectRef), requestHash: hex(requestHash), verdict: verdict,
            reasons: try decoded([Reason].self, reasons, "reasons"), jurisdictions: try decoded([String].self, jurisdictions, "jurisdictions"),
            signals: try decoded([StoredSignal].self, signals, "signals"), policyID: policyID, policyVersion: policyVersion ?? "",
            auditSeq: auditSeq, auditHash: Hex.encode(Array(buffer: auditHash)), queued: queued, decidedAt: decidedAt,
            image: imageSHA256.map { sha256 in
                StoredImageInfo(
                    sha256: sha256, contentType: contentType ?? "", byteCount: Int(byteCount ?? 0), width: width.map(Int.init),
                    height: height.map(Int.init), perceptualHash: phash.map { UInt64(bitPattern: $0) })
            },
            supersededBy: supersededBy, apiKey: apiKey, erasedAt: erasedAt)
    }

    /// Stored bytes as hex; an erased row holds none and says `erased`, as SQLite's does.
    private static func hex(_ bytes: ByteBuffer?) -> String {
        bytes.map { Hex.encode(Array(buffer: $0)) } ?? "erased"
    }
}
