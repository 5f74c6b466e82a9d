import Logging
import PostgresNIO
import Synchronization
import TraingateStore

/// `StoreHealth` of the PostgreSQL store: every migration applied, a durable write of the
/// readiness row (so a database that turned read-only, or a lost primary, shows in `/readyz`),
/// and the levels in one statement. `/readyz` is open to anyone: its checks cost the database at
/// most one write a second, and the migrations are read until they are found complete.
public final class PostgresHealth: StoreHealth {
    private let store: PostgresStore
    private let probe: WritabilityProbe
    /// Set once every migration was seen applied (a schema is never un-migrated).
    private let migrated = Atomic<Bool>(false)

    public init(store: PostgresStore) {
        self.store = store
        probe = WritabilityProbe { at in
            try await store.transaction { [logger = store.logger] connection in
                _ = try await connection.query(
                    "INSERT INTO readiness_probe (id, at) VALUES (1, \(at)) ON CONFLICT (id) DO UPDATE SET at = excluded.at", logger: logger)
            }
        }
    }

    public func isMigrated() async -> Bool {
        if migrated.load(ordering: .relaxed) { return true }
        guard let applied = try? await store.appliedMigrations() else { return false }
        let complete = Set(applied).isSuperset(of: PostgresMigrations.all.map(\.identifier))
        if complete { migrated.store(true, ordering: .relaxed) }
        return complete
    }

    public func writeProblem() async -> String? { await probe.problem() }

    public func levels() async throws -> StoreLevels {
        let rows = try await store.openClient().query(
            """
            SELECT (SELECT count(*) FROM queue_item), (SELECT count(*) FROM training_job WHERE status = 'queued'),
                   (SELECT seq FROM audit_head)
            """, logger: store.logger)
        for try await (images, jobs, head) in rows.decode((Int64, Int64, Int64).self) {
            return StoreLevels(queuedImages: Int(images), queuedJobs: Int(jobs), auditHeadSeq: head)
        }
        throw StoreError.corruptRecord("the audit head row is missing")
    }
}
