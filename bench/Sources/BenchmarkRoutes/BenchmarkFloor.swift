import Foundation
import GRDB
import Logging
import ServiceLifecycle
import TraingateStore

/// The least storage work an admission can do, for bench/admissions: in a scratch database
/// beside the real one, with the same `synchronous=FULL` group commit and background
/// checkpoints, each request inserts one audit row and one decision row; two tables with only
/// the keys an admission needs. The idempotency key is checked by its unique index alone, the
/// audit position comes from the insert (a store that kept its chain head in memory), and there
/// is no pseudonym, no sealing, no other index, and every key is sequential: cheaper than any
/// real admission write, so what an admission costs beyond this floor is the price of
/// everything else it must do. Only the bench server opens it (`BenchmarkRoutes`); the file is
/// recreated at each start.
struct BenchmarkFloor: Sendable {
    /// File name of the scratch database inside the data directory; recreated at each start.
    static let fileName = "benchmark-floor.sqlite"

    /// The scratch database.
    let database: AppDatabase
    /// Commits the floor's writes in groups, as the real writer does.
    let committer: GroupCommitWriter
    let checkpointInterval: Duration

    private static let schema = """
        CREATE TABLE audit (seq INTEGER PRIMARY KEY, body BLOB NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TABLE decision (
            id TEXT PRIMARY KEY NOT NULL, image_id TEXT NOT NULL UNIQUE, verdict TEXT NOT NULL,
            audit_seq INTEGER NOT NULL, decided_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """

    /// Recreates the scratch database in `directory`, with the real writer's batch size and
    /// checkpoint interval.
    static func open(directory: URL, maxBatchSize: Int, checkpointInterval: Duration) throws -> BenchmarkFloor {
        let path = directory.appendingPathComponent(fileName).path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let database = try AppDatabase.openUnmigrated(path: path, backgroundCheckpoints: true)
        try database.writer.write { db in try db.execute(sql: schema) }
        return BenchmarkFloor(
            database: database, committer: GroupCommitWriter(writer: database.writer, maxBatchSize: maxBatchSize),
            checkpointInterval: checkpointInterval)
    }

    /// What must run while the floor takes writes, in start order: the database's closer, its
    /// checkpointer and its writer (they stop in reverse).
    func services(logger: Logger) -> [any Service] {
        [DatabaseCloser(database: database), WALCheckpointer(database: database, interval: checkpointInterval, logger: logger), committer]
    }

    /// Records `body` as the audit row of a new decision and returns the decision's audit
    /// position once the transaction is durable.
    func record(_ body: [UInt8]) async throws -> Int64 {
        try await committer.submit { db in
            let hash = String(repeating: "0", count: 64)
            try db.cachedStatement(sql: "INSERT INTO audit (body, prev_hash, hash) VALUES (?, ?, ?)")
                .execute(arguments: [Data(body), hash, hash])
            let seq = db.lastInsertedRowID
            try db.cachedStatement(sql: "INSERT INTO decision (id, image_id, verdict, audit_seq, decided_at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [
                    String(format: "adm_%016llx", seq), String(format: "floor-%016llx", seq), "rejected", seq, "2026-11-29T00:00:00Z",
                ])
            return seq
        }
    }

    /// Decisions stored so far (for tests).
    func count() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM decision") ?? 0 }
    }
}
