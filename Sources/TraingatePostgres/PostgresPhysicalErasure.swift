import PostgresNIO

/// After an erasure commits, what PostgreSQL's files still hold of the bucket key it replaced
/// goes too: `key_bucket` is rewritten into a new file (the old one is truncated), the WAL
/// moves to a new segment, and a checkpoint lets the server remove the segments before it.
/// They are removed, not renamed for reuse with their bytes intact, only when the server runs
/// with `wal_recycle = off` and keeps no WAL for an archive, a slot or `wal_keep_size`
/// (docs/postgres.md, "Erasure and the disk"; `traingate serve` warns at start when it is on).
///
/// The rewrite copies every row version a running transaction may still see, and its own
/// snapshot reaches back to the oldest transaction running in any database of the cluster: so
/// the replaced key's version would survive it while any transaction older than the erasure
/// runs. The purge first waits (up to `oldTransactionWait`) until none does.
///
/// The erasure stands without this: its key is already unreadable through SQL, and what it
/// sealed opens with no key that remains. A step the server refuses (`CHECKPOINT` needs the
/// `pg_checkpoint` role, `pg_switch_wal` superuser or a grant) is logged and left for the
/// server's own checkpoints and WAL recycling.
public enum PostgresPhysicalErasure {
    /// The rewrite's exclusive lock waits at most `lock_timeout` behind a long reader (a
    /// `pg_dump`): every admission group would queue behind it, under the chain head's lock.
    static let statements = [
        "SET lock_timeout = '2s'", "VACUUM (FULL) key_bucket", "RESET lock_timeout", "SELECT pg_switch_wal()", "CHECKPOINT",
    ]
    /// Longer than any admission group or erasure runs; a long read (an audit export in one
    /// snapshot) may hold it up, and the purge then goes ahead and says so.
    static let oldTransactionWait = Duration.seconds(30)

    /// The first transaction id not yet assigned when the purge begins: every erasure it covers
    /// committed before it.
    private static let horizonSQL = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text"
    /// Whether a transaction that began before that id still runs anywhere in the cluster (a
    /// new snapshot, the rewrite's own included, reaches back to the oldest running one, in any
    /// database), or a session of this database still holds a snapshot from before it.
    private static let olderSQL = """
        SELECT pg_snapshot_xmin(pg_current_snapshot()) < $1::xid8 OR EXISTS (
            SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND backend_xmin IS NOT NULL AND age(backend_xmin) > age(($1::numeric % 4294967296)::text::xid))
        """

    /// Whether the server renames old WAL segments for reuse, keeping their bytes until
    /// overwritten (PostgreSQL's default), rather than removing them.
    public static func recyclesWAL(_ store: PostgresStore) async throws -> Bool {
        try await store.openClient().query("SELECT current_setting('wal_recycle') = 'on'", logger: store.logger).collect()[0].decode(Bool.self)
    }

    static func run(on store: PostgresStore) async {
        do {
            try await store.openClient().withConnection { connection in
                try await waitForOlderTransactions(on: connection, logger: store.logger)
                do {
                    for statement in statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                    }
                } catch {
                    // The connection goes back to the pool: without the timeout it was given.
                    _ = try? await connection.query("RESET lock_timeout", logger: store.logger)
                    throw error
                }
            }
        } catch {
            store.logger.warning(
                "the erased key's bytes stay in PostgreSQL's files until its own checkpoints recycle them",
                metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private static func waitForOlderTransactions(on connection: PostgresConnection, logger: Logger) async throws {
        var horizon = PostgresBindings()
        horizon.append(try await connection.query(PostgresQuery(unsafeSQL: horizonSQL), logger: logger).collect()[0].decode(String.self))
        let deadline = ContinuousClock.now + oldTransactionWait
        while try await connection.query(PostgresQuery(unsafeSQL: olderSQL, binds: horizon), logger: logger).collect()[0].decode(Bool.self) {
            guard ContinuousClock.now < deadline else {
                logger.warning(
                    "a transaction older than an erasure still runs: the rewrite of key_bucket may keep the replaced key until the next erasure's")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
