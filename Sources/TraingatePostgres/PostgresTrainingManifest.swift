import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// The manifest for external trainers on PostgreSQL (SQLite's is `TrainingManifest`): queued
/// items in the order their decisions were logged, the audit seq as the cursor.
public struct PostgresTrainingManifest: ManifestReading {
    private let store: PostgresStore
    /// Open the stored copies.
    private let keys: PostgresSubjectKeys

    public init(store: PostgresStore, keyring: SubjectKeyring) {
        self.store = store
        keys = PostgresSubjectKeys(keyring: keyring)
    }

    public func page(after: Int64, limit: Int) async throws -> [ManifestItem] {
        var binds = PostgresBindings()
        binds.append(after)
        binds.append(Int64(limit))
        let rows = try await store.openClient().query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT a.id, q.image_sha256, k.version, a.audit_seq, CASE WHEN e.v >= 2 THEN e.subject_ref END
                    FROM admission a JOIN queue_item q ON q.admission_id = a.id JOIN audit_entry e ON e.seq = a.audit_seq
                    LEFT JOIN known_policy_version k ON k.id = e.policy_version
                    WHERE a.audit_seq > $1 ORDER BY a.audit_seq LIMIT $2
                    """, binds: binds), logger: store.logger)
        var items: [ManifestItem] = []
        for try await (id, sha256, policyVersion, seq, subjectRef) in rows.decode((String, String, String?, Int64, ByteBuffer?).self) {
            items.append(
                ManifestItem(
                    admissionID: id, imageSHA256: sha256, policyVersion: policyVersion ?? "", cursor: seq,
                    subjectRef: subjectRef.map { Hex.encode(Array(buffer: $0)) }))
        }
        return items
    }

    public func image(of admissionID: String) async throws -> (bytes: [UInt8], contentType: String)? {
        var binds = PostgresBindings()
        binds.append(admissionID)
        let rows = try await store.openClient().query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT i.content_type, i.sha256, \(PostgresStoredCopy.columns) FROM queue_item q
                    JOIN image i ON i.sha256 = q.image_sha256 \(PostgresStoredCopy.joined)
                    WHERE q.admission_id = $1
                    """, binds: binds), logger: store.logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (contentType, sha256, sealed, sealedBy, wrapped, bucket, bucketWrapped) = try row.decode(
            (String, String, ByteBuffer, ByteBuffer, ByteBuffer?, Int32?, ByteBuffer?).self)
        return (try PostgresStoredCopy.open((sealed, sealedBy, wrapped, bucket, bucketWrapped), sha256: sha256, keys: keys), contentType)
    }
}
