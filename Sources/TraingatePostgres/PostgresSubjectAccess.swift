import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// What an access report (Art. 15) reads on PostgreSQL, inside the caller's transaction: the
/// subject's objection, every decision with the facts it was made on (opened with the subject's
/// key), the embeddings of each image and the checkpoints each trained. One statement per kind.
enum PostgresSubjectAccess {
    static func read(
        lookup: ByteBuffer, keyring: SubjectKeyring, on connection: PostgresConnection, logger: Logger
    ) async throws -> (objectionRegisteredAt: String?, admissions: [SubjectReport.Admission]) {
        var subject = PostgresBindings()
        subject.append(lookup)
        let objection = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT registered_at FROM objection WHERE subject_ref = $1", binds: subject), logger: logger
        ).collect().first?.decode(String.self)
        let keys = PostgresSubjectKeys(keyring: keyring)
        let admissions = try await PostgresAdmissionRow.decode(
            try await connection.query(
                PostgresQuery(unsafeSQL: PostgresAdmissionRow.select + " WHERE a.subject_ref = $1 ORDER BY a.audit_seq", binds: subject),
                logger: logger), keys: keys)
        let key = try await keys.existingKey(lookup: lookup, on: connection, logger: logger)

        var ids = PostgresBindings()
        ids.append(admissions.map(\.id))
        var sealed: [String: [UInt8]] = [:]
        for try await (id, bytes) in try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT a.id, e.sealed FROM admission a JOIN audit_entry e ON e.seq = a.audit_seq WHERE a.id = ANY($1::text[])",
                binds: ids), logger: logger
        ).decode((String, ByteBuffer?).self) {
            if let bytes { sealed[id] = Array(buffer: bytes) }
        }
        var embeddings: [String: [String]] = [:]
        for try await (id, checkpoint) in try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT admission_id, checkpoint_id FROM embedding WHERE admission_id = ANY($1::text[]) ORDER BY checkpoint_id",
                binds: ids), logger: logger
        ).decode((String, String).self) {
            embeddings[id, default: []].append(checkpoint)
        }
        var trained: [String: [(checkpointID: String, jobID: String, epochs: Int)]] = [:]
        for try await (id, checkpoint, job, epochs) in try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT l.admission_id, l.checkpoint_id, c.job_id, l.epochs FROM checkpoint_lineage l JOIN checkpoint c ON c.id = l.checkpoint_id
                    WHERE l.admission_id = ANY($1::text[]) ORDER BY c.created_at, l.checkpoint_id
                    """, binds: ids), logger: logger
        ).decode((String, String, String, Int32).self) {
            trained[id, default: []].append((checkpoint, job, Int(epochs)))
        }
        let report = try admissions.map { admission in
            SubjectReport.Admission(
                admission: admission, facts: try SubjectAccess.openFacts(sealed[admission.id], of: admission, key: key),
                embeddings: embeddings[admission.id] ?? [], trained: trained[admission.id] ?? [])
        }
        return (objection, report)
    }
}
