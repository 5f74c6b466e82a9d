import GRDB
import PolicyEngine
import StrictDocuments

/// A recorded decision as the store holds it.
public struct StoredAdmission: Hashable, Sendable {
    public let id: String
    public let source: String
    public let imageID: String
    public let subjectRef: String
    public let requestHash: String
    public let verdict: Verdict
    public let reasons: [Reason]
    public let jurisdictions: [String]
    public let signals: [StoredSignal]
    public let policyID: String
    public let policyVersion: String
    public let auditSeq: Int64
    public let auditHash: String
    public let queued: Bool
    public let decidedAt: String
    /// The kept image (admitted decisions that came with one).
    public let image: StoredImageInfo?
    /// The newer decision for the same (source, image_id), if this one was superseded.
    public let supersededBy: String?
    /// The API key that asked for the decision (nil in development mode).
    public let apiKey: String?
    /// When the subject's data was erased (Art. 17): the row keeps only its non-personal fields.
    public let erasedAt: String?

    /// Every field as stored (a store that decodes its rows itself: PostgreSQL's).
    package init(
        id: String, source: String, imageID: String, subjectRef: String, requestHash: String, verdict: Verdict, reasons: [Reason],
        jurisdictions: [String], signals: [StoredSignal], policyID: String, policyVersion: String, auditSeq: Int64, auditHash: String,
        queued: Bool, decidedAt: String, image: StoredImageInfo?, supersededBy: String?, apiKey: String?, erasedAt: String?
    ) {
        self.id = id
        self.source = source
        self.imageID = imageID
        self.subjectRef = subjectRef
        self.requestHash = requestHash
        self.verdict = verdict
        self.reasons = reasons
        self.jurisdictions = jurisdictions
        self.signals = signals
        self.policyID = policyID
        self.policyVersion = policyVersion
        self.auditSeq = auditSeq
        self.auditHash = auditHash
        self.queued = queued
        self.decidedAt = decidedAt
        self.image = image
        self.supersededBy = supersededBy
        self.apiKey = apiKey
        self.erasedAt = erasedAt
    }

    /// The row `AdmissionStore.record` has just inserted, without reading it back.
    package init(id: String, submission: AdmissionSubmission, decision: Decision, decidedAt: String, audit: AuditEntry, keptImage: ImageUpload?) {
        self.id = id
        source = submission.source
        imageID = submission.imageID
        subjectRef = submission.subjectRef
        requestHash = submission.requestHash
        verdict = decision.verdict
        reasons = decision.reasons
        jurisdictions = decision.jurisdictions
        signals = submission.signals
        policyID = decision.policyID
        policyVersion = decision.policyVersion
        auditSeq = audit.seq
        auditHash = audit.hash
        queued = keptImage != nil
        self.decidedAt = decidedAt
        image = keptImage?.info
        supersededBy = nil
        apiKey = submission.apiKey
        erasedAt = nil
    }

    /// Reads a stored row. A row whose JSON columns or decision do not decode is reported, never
    /// served with silently emptied reasons.
    /// - Throws: `StoreError` with code `.corruptRecord`.
    init(row: Row) throws {
        let id: String = row["id"]
        func decoded<T: Decodable>(_ type: T.Type, _ column: String) throws -> T {
            guard let value = JSONText.decode(type, from: row[column]) else { throw StoreError.corruptRecord(id: id, column: column) }
            return value
        }
        guard let verdict = Verdict(rawValue: row["decision"]) else { throw StoreError.corruptRecord(id: id, column: "decision") }
        self.id = id
        source = row["source"]
        imageID = row["image_id"]
        subjectRef = (row["subject_ref"] as StoredLookup).hex
        requestHash = Self.hex(row["request_hash"])
        self.verdict = verdict
        reasons = try decoded([Reason].self, "reasons")
        jurisdictions = try decoded([String].self, "jurisdictions")
        signals = try decoded([StoredSignal].self, "signals")
        policyID = row["policy_id"]
        policyVersion = row["policy_version"]
        auditSeq = row["audit_seq"]
        auditHash = row["audit_hash"]
        queued = row["queued"]
        decidedAt = row["decided_at"]
        image = (row["image_sha256"] as String?).map { sha256 in
            StoredImageInfo(
                sha256: sha256, contentType: row["content_type"] ?? "", byteCount: row["byte_count"] ?? 0, width: row["width"],
                height: row["height"], perceptualHash: (row["phash"] as Int64?).map { UInt64(bitPattern: $0) })
        }
        supersededBy = row["superseded_by"]
        apiKey = row["api_key"]
        erasedAt = row["erased_at"]
    }

    /// A stored hash as hex: traingate writes bytes, and an erased row says `erased` instead.
    private static func hex(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .blob(let bytes): Hex.encode(bytes)
        case .string(let text): text
        default: ""
        }
    }

    /// Admission columns, with what the row shares with its audit entry (time, policy version,
    /// hash) and its reason list read from where they are kept, joined with the image's
    /// metadata (never its bytes).
    static let selectSQL = """
        SELECT admission.id, admission.source, admission.image_id, admission.subject_ref, admission.request_hash,
            admission.decision, \(CompactColumns.reasons("admission.reasons")) AS reasons, admission.jurisdictions,
            admission.signals, admission.policy_id, admission.audit_seq, admission.queued, admission.image_sha256,
            admission.superseded_by, admission.api_key, admission.erased_at, e.at AS decided_at,
            \(CompactColumns.policyVersion("e.policy_version")) AS policy_version, \(CompactColumns.hex("e.hash")) AS audit_hash,
            image.byte_count, image.content_type, image.width, image.height, image.phash
        FROM admission JOIN audit_entry e ON e.seq = admission.audit_seq
        LEFT JOIN image ON image.sha256 = admission.image_sha256
        """
}
