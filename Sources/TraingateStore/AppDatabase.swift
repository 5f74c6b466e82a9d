import Foundation
import GRDB

/// The one SQLite database of a traingate instance (GRDB rule 1: connect to a file only once).
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter
    public let path: String
    /// Set while an erasure's truncation of the write-ahead log is still to be done
    /// (`truncateWAL(waitingAtMost:)`), shared by every copy of this value.
    let walTruncationPending = SharedMutex((requested: 0, done: 0))
    /// Held by every checkpoint that does not run on the writer's own queue: the background
    /// checkpointer's gated passes and an erasure's truncation never overlap (`CheckpointGate`).
    /// The value counts truncations attempted, so the checkpointer knows one may have left the
    /// log wholly copied.
    let checkpointing = SharedMutex(0)

    /// File name of the database inside the data directory.
    public static let fileName = "traingate.sqlite"

    /// Opens (creating if needed) `directory/traingate.sqlite` in WAL mode with `synchronous=FULL`,
    /// and migrates it.
    /// - Parameter backgroundCheckpoints: turn SQLite's automatic checkpoint off because a
    ///   `WALCheckpointer` runs; without one the log would grow without bound.
    public static func open(directory: URL, backgroundCheckpoints: Bool = false) throws -> AppDatabase {
        // Owner-only: the directory holds personal data and the key file.
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory.appendingPathComponent(fileName).path
        let pool = try openPool(path: path, backgroundCheckpoints: backgroundCheckpoints)
        let database = AppDatabase(writer: pool, path: path)
        try refuseDowngrade(pool)
        try migrator.migrate(pool)
        return database
    }

    /// A database a newer traingate migrated holds tables and columns this version does not
    /// know; writing to it could break the newer version's invariants. Refused, naming the
    /// migrations, before anything is written.
    static func refuseDowngrade(_ writer: any DatabaseWriter) throws {
        let unknown = try writer.read { db -> [String] in
            guard try migrator.hasBeenSuperseded(db) else { return [] }
            return try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
        }
        guard unknown.isEmpty else { throw StoreError.newerSchema(unknown) }
    }

    /// Opens the database for a command that writes beside a running server (`traingate keys`):
    /// it commits, but never checkpoints (no automatic checkpoint after its commits), so every
    /// checkpoint stays with the server's gated checkpointer (`CheckpointGate`). When no server
    /// runs, the log it leaves is copied back by whichever connection closes last.
    public static func openBesideServer(directory: URL) throws -> AppDatabase {
        try open(directory: directory, backgroundCheckpoints: true)
    }

    /// A database at `path` set up exactly as the service's (WAL, `synchronous=FULL`, the same
    /// checkpoint setting) but without its schema: a scratch database whose commits cost what
    /// the real ones do (bench/'s storage floor).
    public static func openUnmigrated(path: String, backgroundCheckpoints: Bool) throws -> AppDatabase {
        AppDatabase(writer: try openPool(path: path, backgroundCheckpoints: backgroundCheckpoints), path: path)
    }

    /// A pool on `path` in WAL mode whose writer commits with `synchronous=FULL`, unmigrated.
    static func openPool(path: String, backgroundCheckpoints: Bool) throws -> DatabasePool {
        var configuration = makeConfiguration()
        if backgroundCheckpoints {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB's pool sets `synchronous = NORMAL` on its writer connection when it turns WAL on,
        // after the `prepareDatabase` setups ran; NORMAL skips the fsync at commit, so a power
        // loss could take back acknowledged decisions. The writer is one long-lived connection:
        // setting FULL on it once holds for every later commit.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // SQLite ignores a pragma it cannot apply: read it back, and refuse to open otherwise.
            guard try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2 else {
                throw StoreError.unsupportedSetting("SQLite would not commit with synchronous=FULL")
            }
        }
        return pool
    }

    /// Opens an existing database for reading only (CLI tools next to a running server).
    public static func openReadOnly(directory: URL) throws -> AppDatabase {
        let path = directory.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseMissing(path) }
        var configuration = makeConfiguration()
        configuration.readonly = true
        return AppDatabase(writer: try DatabasePool(path: path, configuration: configuration), path: path)
    }

    /// How long a connection waits for a lock another holds.
    static let busyTimeoutMilliseconds = 10_000

    static func makeConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(Double(busyTimeoutMilliseconds) / 1000)
        configuration.prepareDatabase { db in
            // FULL: a commit is on disk (WAL fsynced) before the writer returns, so an acknowledged
            // decision survives power loss, not only a process crash. (The pool's writer needs it
            // again after opening: see `open`.)
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Erasure (Art. 17) must not leave the erased bytes in freed pages or in the unused
            // space of a page: SQLite zeroes deleted content as it frees it. Deletes are rare on
            // the hot path (a superseded item leaving the queue), so this costs admissions little.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        return configuration
    }

    /// Whether every known migration has been applied.
    public func isMigrated() async throws -> Bool {
        try await writer.read { db in try Self.migrator.hasCompletedMigrations(db) }
    }

    /// Copies the log back into the database file and empties it, then closes every
    /// connection; later use throws. After a clean stop the database file alone holds every
    /// write (a copy of it is a complete backup).
    ///
    /// SQLite's own checkpoint on close never ran here: GRDB closes the pool's writer before its
    /// readers, and the last connection to close, a reader, may not write the database file.
    public func close() throws {
        guard let pool = writer as? DatabasePool else { return }
        let emptied = Result {
            guard !pool.configuration.readonly else { return }
            try pool.writeWithoutTransaction { db in
                // Closing twice is allowed (tests close what shutdown already closed); SQLite
                // must never be handed a connection GRDB has closed.
                guard db.sqliteConnection != nil else { return }
                _ = try db.checkpoint(.truncate)
            }
        }
        // Closed even when the checkpoint failed: the log still holds what the file does not.
        try pool.close()
        try emptied.get()
    }
}
