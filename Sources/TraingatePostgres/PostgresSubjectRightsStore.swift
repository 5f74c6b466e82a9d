import Foundation
import NIOCore
import PolicyEngine
import PostgresNIO
import StrictDocuments
import TraingateStore

/// The people's rights on PostgreSQL (SQLite's is `SubjectRightsStore`): access, objection and
/// erasure, each in one transaction with its audit entry, the chain head locked first.
public struct PostgresSubjectRightsStore: SubjectRightsHandling {
    private let store: PostgresStore
    /// Opens the subject's sealed facts for an access report.
    private let keyring: SubjectKeyring
    /// Erasure rotates the subject's bucket key and reseals shared copies.
    private let keys: PostgresSubjectKeys
    /// Takes the replaced bucket keys out of the files after erasures commit.
    private let purger: PostgresErasurePurger

    public init(store: PostgresStore, keyring: SubjectKeyring) {
        self.store = store
        self.keyring = keyring
        keys = PostgresSubjectKeys(keyring: keyring)
        purger = PostgresErasurePurger { await PostgresPhysicalErasure.run(on: store) }
    }

    public func report(subjectRef: String, format: String, at date: Date, apiKey: String?) async throws -> SubjectReport {
        let lookup = try PostgresBytes.hex(subjectRef, field: "the subject's lookup pseudonym")
        return try await store.transaction { [keyring, logger = store.logger] connection in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            let report = try await PostgresSubjectAccess.read(
                lookup: lookup, keyring: keyring, on: connection, logger: logger)
            let record = SubjectReport.record(
                found: report.objectionRegisteredAt != nil || !report.admissions.isEmpty, admissions: report.admissions.count, format: format,
                apiKey: apiKey, at: Timestamp.format(date))
            let audit = try await PostgresAuditChain.append(texts: store.committedTexts, [record], on: connection, logger: logger)[0]
            return SubjectReport(objectionRegisteredAt: report.objectionRegisteredAt, admissions: report.admissions, audit: audit)
        }
    }

    public func registerObjection(subjectRef: String, at date: Date, apiKey: String?) async throws -> ObjectionReceipt {
        let lookup = try PostgresBytes.hex(subjectRef, field: "the subject's lookup pseudonym")
        let at = Timestamp.format(date)
        return try await store.transaction { [logger = store.logger] connection in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            var binds = PostgresBindings()
            binds.append(lookup)
            binds.append(at)
            let inserted = try await connection.query(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO objection (subject_ref, registered_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING subject_ref",
                    binds: binds), logger: logger
            ).collect()
            let alreadyRegistered = inserted.isEmpty
            if !alreadyRegistered { try await Self.flagCheckpointsObjected(lookup: lookup, on: connection, logger: logger) }
            let dequeued = try await PostgresQueue.dequeueAll(lookup: lookup, on: connection, logger: logger)
            let record = ObjectionReceipt.record(dequeued: dequeued, alreadyRegistered: alreadyRegistered, apiKey: apiKey, at: at)
            let audit = try await PostgresAuditChain.append(texts: store.committedTexts, [record], on: connection, logger: logger)[0]
            return ObjectionReceipt(audit: audit, dequeued: dequeued, alreadyRegistered: alreadyRegistered)
        }
    }

    public func erase(subjectRef: String, at date: Date, apiKey: String?) async throws -> ErasureReceipt {
        // Whatever the write's outcome, the key leaves memory too.
        defer { keyring.cache.forget(lookup: subjectRef) }
        let lookup = try PostgresBytes.hex(subjectRef, field: "the subject's lookup pseudonym")
        let receipt = try await store.transaction { [keys, logger = store.logger] connection in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            return try await PostgresSubjectErasure.erase(
                lookup: lookup, at: Timestamp.format(date), apiKey: apiKey, keys: keys, texts: store.committedTexts, on: connection,
                logger: logger)
        }
        if receipt.keyDestroyed { await purger.afterCommit() }
        return receipt
    }

    /// Counts, on every checkpoint trained on the subject's admissions, the items whose subject
    /// objected (model lineage: the checkpoint is shown as containing objected data).
    private static func flagCheckpointsObjected(lookup: ByteBuffer, on connection: PostgresConnection, logger: Logger) async throws {
        var binds = PostgresBindings()
        binds.append(lookup)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE checkpoint c SET objected_items = c.objected_items + t.items
                    FROM (SELECT l.checkpoint_id, count(*) AS items FROM checkpoint_lineage l JOIN admission a ON a.id = l.admission_id
                          WHERE a.subject_ref = $1 GROUP BY l.checkpoint_id) t
                    WHERE c.id = t.checkpoint_id
                    """, binds: binds), logger: logger)
    }
}
