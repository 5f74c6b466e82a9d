import PostgresNIO

/// After an erasure commits, what PostgreSQL's files still hold of the bucket key it replaced
/// goes too: `key_bucket` is rewritten into a new file (the old one is truncated), the WAL
/// moves to a new segment, and a checkpoint lets the server remove the segments before it.
/// They are removed, not renamed for reuse with their bytes intact, only when the server runs
/// with `wal_recycle = off` and keeps no WAL for an archive, a slot or `wal_keep_size`
/// (docs/postgres.md, "Erasure and the disk"; `traingate serve` warns at start when it is on).
///
/// The erasure stands without this: its key is already unreadable through SQL, and what it
/// sealed opens with no key that remains. A step the server refuses (`CHECKPOINT` needs the
/// `pg_checkpoint` role, `pg_switch_wal` superuser or a grant) is logged and left for the
/// server's own checkpoints and WAL recycling.
public enum PostgresPhysicalErasure {
    static let statements = ["VACUUM (FULL) key_bucket", "SELECT pg_switch_wal()", "CHECKPOINT"]

    /// Whether the server renames old WAL segments for reuse, keeping their bytes until
    /// overwritten (PostgreSQL's default), rather than removing them.
    public static func recyclesWAL(_ store: PostgresStore) async throws -> Bool {
        try await store.openClient().query("SELECT current_setting('wal_recycle') = 'on'", logger: store.logger).collect()[0].decode(Bool.self)
    }

    static func run(on store: PostgresStore) async {
        do {
            try await store.openClient().withConnection { connection in
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                }
            }
        } catch {
            store.logger.warning(
                "the erased key's bytes stay in PostgreSQL's files until its own checkpoints recycle them",
                metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
