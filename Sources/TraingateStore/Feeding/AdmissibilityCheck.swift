import GRDB

/// The store's answer to "may these admissions still be trained on?", for external trainers
/// that took items from the manifest earlier (`POST /v1/admissions/recheck`).
public struct AdmissibilityCheck: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Each id's admissibility, in one read transaction (one consistent answer for the batch).
    public func check(_ admissionIDs: [String]) async throws -> [String: Admissibility] {
        try await database.writer.read { db in
            var answers: [String: Admissibility] = [:]
            // In chunks: SQLite limits the number of bound parameters.
            for start in stride(from: 0, to: admissionIDs.count, by: 500) {
                let chunk = Array(admissionIDs[start..<min(start + 500, admissionIDs.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: Self.sql(marks), arguments: StatementArguments(chunk))
                for row in rows { answers[row["id"]] = Self.admissibility(row) }
            }
            for id in admissionIDs where answers[id] == nil { answers[id] = .notFound }
            return answers
        }
    }

    /// What decides an admission's standing, in the order that names the reason: an erasure
    /// first (it voids everything else), then the decision, then what took it out of the queue.
    private static func sql(_ marks: String) -> String {
        """
        SELECT a.id, a.decision, a.erased_at, a.superseded_by, a.image_sha256,
               EXISTS (SELECT 1 FROM queue_item q WHERE q.admission_id = a.id) AS queued,
               EXISTS (SELECT 1 FROM objection o WHERE o.subject_ref = a.subject_ref) AS objected,
               EXISTS (SELECT 1 FROM admission w WHERE w.subject_ref = a.subject_ref AND w.audit_seq > a.audit_seq
                       AND w.reasons LIKE '%"CONSENT_WITHDRAWN"%') AS withdrawn
        FROM admission a WHERE a.id IN (\(marks))
        """
    }

    private static func admissibility(_ row: Row) -> Admissibility {
        if (row["erased_at"] as String?) != nil { return .erased }
        if (row["decision"] as String) == "rejected" { return .rejected }
        if (row["superseded_by"] as String?) != nil { return .superseded }
        if row["queued"] as Bool { return .queued }
        if row["objected"] as Bool { return .objected }
        if row["withdrawn"] as Bool { return .consentWithdrawn }
        if (row["image_sha256"] as String?) == nil { return .noImage }
        return .notQueued
    }
}
