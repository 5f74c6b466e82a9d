import Foundation
import GRDB
import StrictDocuments

/// The people in the photos: their objections (GDPR Art. 21) and erasures (Art. 17), each
/// written in one transaction with everything it changes.
public struct SubjectRightsStore: SubjectRightsHandling {
    let database: AppDatabase
    /// Opens the subject's sealed facts for an access report.
    let keyring: SubjectKeyring

    public init(database: AppDatabase, keyring: SubjectKeyring) {
        self.database = database
        self.keyring = keyring
    }

    /// Everything held about the subject (Art. 15), read in the transaction that appends the
    /// access's audit entry (kind `access`: whether anything was held, the count, the format
    /// and the key; never the subject). The entry is written when nothing is held, too: the
    /// request itself is something an auditor should see.
    public func report(subjectRef: String, format: String, at date: Date, apiKey: String?) async throws -> SubjectReport {
        try await database.write { [keyring] db in
            try SubjectAccess.report(subjectRef: subjectRef, keyring: keyring, format: format, at: Timestamp.format(date), apiKey: apiKey, in: db)
        }
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
            try db.execute(
                sql: "INSERT OR IGNORE INTO objection (subject_ref, registered_at) VALUES (?, ?)", arguments: [StoredLookup(subjectRef), at])
            let alreadyRegistered = db.changesCount == 0
            if !alreadyRegistered { try Self.flagCheckpointsObjected(subjectRef: subjectRef, in: db) }
            let dequeued = try Self.dequeueAll(subjectRef: subjectRef, in: db)
            let audit = try AuditLog.append(
                ObjectionReceipt.record(dequeued: dequeued, alreadyRegistered: alreadyRegistered, apiKey: apiKey, at: at), in: db)
            return ObjectionReceipt(audit: audit, dequeued: dequeued, alreadyRegistered: alreadyRegistered)
        }
    }

    /// Erases the subject (docs/subject-rights.md): in one transaction its stored images (unless
    /// another subject's admission holds the same content), queue items and embeddings go, its
    /// admissions keep only their non-personal fields, its content enters the suppression list,
    /// the checkpoints trained on it are flagged, its key is destroyed, and an audit entry
    /// records the counts, never the subject. Then the write-ahead log is emptied, so the erased
    /// bytes leave the disk now rather than at some later checkpoint; a reader in the middle of
    /// a long read can hold that up, and then the `WALCheckpointer` finishes it.
    public func erase(subjectRef: String, at date: Date, apiKey: String?) async throws -> ErasureReceipt {
        // Whatever the write's outcome, the key leaves memory too (a later admission reads it
        // again if it is still stored).
        defer { keyring.cache.forget(lookup: subjectRef) }
        let receipt = try await database.write { db in
            try SubjectErasure.erase(subjectRef: subjectRef, at: Timestamp.format(date), apiKey: apiKey, in: db)
        }
        await database.truncateWAL(waitingAtMost: 0.25)
        return receipt
    }

    /// Takes every queued item of the subject out of the training queue, inside the caller's
    /// write (an objection's, or an admission that withdraws consent); returns how many left.
    static func dequeueAll(subjectRef: String, in db: Database) throws -> Int {
        // Cached: a withdrawal of consent runs these inside the admission's write.
        let lookup = StoredLookup(subjectRef)
        try db.cachedStatement(sql: "DELETE FROM queue_item WHERE admission_id IN (SELECT id FROM admission WHERE subject_ref = ?)")
            .execute(arguments: [lookup])
        let dequeued = db.changesCount
        try db.cachedStatement(sql: "UPDATE admission SET queued = 0 WHERE subject_ref = ? AND queued = 1").execute(arguments: [lookup])
        if dequeued > 0 { try bumpQueueRemovals(in: db) }
        return dequeued
    }

    /// Tells running training jobs that items left the queue for a subject's sake: they re-check
    /// their snapshot at their next step instead of their next epoch (`TrainingStore.queueRemovals`).
    static func bumpQueueRemovals(in db: Database) throws {
        try db.execute(sql: "UPDATE queue_removals SET generation = generation + 1 WHERE id = 1")
    }

    /// Counts, on every checkpoint trained on the subject's admissions, the items whose subject
    /// objected (model lineage: the checkpoint is shown as containing objected data).
    private static func flagCheckpointsObjected(subjectRef: String, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE checkpoint SET objected_items = objected_items + (
                    SELECT count(*) FROM checkpoint_lineage l JOIN admission a ON a.id = l.admission_id
                    WHERE l.checkpoint_id = checkpoint.id AND a.subject_ref = ?1)
                WHERE id IN (SELECT l.checkpoint_id FROM checkpoint_lineage l JOIN admission a ON a.id = l.admission_id
                    WHERE a.subject_ref = ?1)
                """, arguments: [StoredLookup(subjectRef)])
    }
}
