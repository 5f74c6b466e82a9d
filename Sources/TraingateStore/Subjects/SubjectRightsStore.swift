import Foundation
import GRDB
import StrictDocuments

/// The people in the photos: their objections (GDPR Art. 21), written in one transaction with
/// everything they change.
public struct SubjectRightsStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Registers an objection under the subject's lookup pseudonym (`subject_ref`, keyed by the
    /// pseudonym key, so it outlives an erasure of the subject's data), takes every queued item
    /// of the subject out of the training queue (a running job drops them at its next step),
    /// and appends an audit entry naming the key and the count, never the subject. Later
    /// admissions of the subject are rejected `OPTED_OUT` (`SubjectStanding`). Repeating it
    /// changes nothing but adds its own audit entry.
    public func registerObjection(subjectRef: String, at date: Date, apiKey: String?) async throws -> ObjectionReceipt {
        try await database.write { db in
            let at = Timestamp.format(date)
            try db.execute(sql: "INSERT OR IGNORE INTO objection (subject_ref, registered_at) VALUES (?, ?)", arguments: [subjectRef, at])
            let alreadyRegistered = db.changesCount == 0
            let dequeued = try Self.dequeueAll(subjectRef: subjectRef, in: db)
            var details: [String: JSONValue] = [
                "dequeued": .integer(dequeued), "already_registered": .bool(alreadyRegistered),
            ]
            if let apiKey { details["api_key"] = .string(apiKey) }
            let audit = try AuditLog.append(AuditRecord(kind: .objection, at: at, details: .object(details)), in: db)
            return ObjectionReceipt(audit: audit, dequeued: dequeued, alreadyRegistered: alreadyRegistered)
        }
    }

    /// Takes every queued item of the subject out of the training queue, inside the caller's
    /// write (an objection's, or an admission that withdraws consent); returns how many left.
    static func dequeueAll(subjectRef: String, in db: Database) throws -> Int {
        try db.execute(
            sql: "DELETE FROM queue_item WHERE admission_id IN (SELECT id FROM admission WHERE subject_ref = ?)", arguments: [subjectRef])
        let dequeued = db.changesCount
        try db.execute(sql: "UPDATE admission SET queued = 0 WHERE subject_ref = ? AND queued = 1", arguments: [subjectRef])
        return dequeued
    }
}
