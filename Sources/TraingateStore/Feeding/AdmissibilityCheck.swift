import GRDB

/// The store's answer to "may these admissions still be trained on?", for external trainers
/// that took items from the manifest earlier (`POST /v1/admissions/recheck`).
public struct AdmissibilityCheck: AdmissibilityChecking {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Each id's admissibility, in one read transaction (one consistent answer for the batch).
    public func check(_ admissionIDs: [String]) async throws -> [String: Admissibility] {
        try await database.writer.read { db in
            var answers: [String: Admissibility] = [:]
            for chunk in IDChunks(ids: admissionIDs) {
                let rows = try Row.fetchAll(db, sql: Self.sql(chunk.placeholders), arguments: chunk.arguments)
                for row in rows { answers[row["id"]] = Admissibility(rawValue: row["reason"]) ?? .notQueued }
            }
            for id in admissionIDs where answers[id] == nil { answers[id] = .notFound }
            return answers
        }
    }

    private static func sql(_ marks: String) -> String {
        "SELECT a.id, \(reason(consentWithdrawn: #"e.reason_codes LIKE '%"CONSENT_WITHDRAWN"%'"#)) AS reason FROM admission a WHERE a.id IN (\(marks))"
    }

    /// What decides the standing of admission `a`, in the order that names the reason: an
    /// erasure first (it voids everything else), then the decision, then what took it out of
    /// the queue. The database evaluates the CASE lazily: the subqueries run only for the rows
    /// that reach them, and the costliest (a withdrawal among the subject's later decisions) only
    /// for an admitted item with an image that left the queue without an objection: rare.
    /// - Parameter consentWithdrawn: the backend's test that entry `e`'s reason codes hold
    ///   `CONSENT_WITHDRAWN`.
    package static func reason(consentWithdrawn: String) -> String {
        """
        CASE
            WHEN a.erased_at IS NOT NULL THEN 'erased'
            WHEN a.decision = 'rejected' THEN 'rejected'
            WHEN a.superseded_by IS NOT NULL THEN 'superseded'
            WHEN a.image_sha256 IS NULL THEN 'no_image'
            WHEN EXISTS (SELECT 1 FROM queue_item q WHERE q.admission_id = a.id) THEN 'queued'
            WHEN EXISTS (SELECT 1 FROM objection o WHERE o.subject_ref = a.subject_ref) THEN 'objected'
            WHEN EXISTS (SELECT 1 FROM admission w JOIN audit_entry e ON e.seq = w.audit_seq
                         WHERE w.subject_ref = a.subject_ref AND w.audit_seq > a.audit_seq
                         AND \(consentWithdrawn)) THEN 'consent_withdrawn'
            ELSE 'not_queued' END
        """
    }
}
