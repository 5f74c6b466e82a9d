import Foundation
import GRDB

/// The least storage work an admission can do, for bench/admissions: in a scratch database
/// beside the real one, with the same `synchronous=FULL` group commit and background
/// checkpoints, each request inserts one audit row and one decision row; two tables with only
/// the keys an admission needs. The idempotency key is checked by its unique index alone, the
/// audit position comes from the insert (a store that kept its chain head in memory), and there
/// is no pseudonym, no sealing, no other index, and every key is sequential: cheaper than any
/// real admission write, so what an admission costs beyond this floor is the price of
/// everything else it must do. Only opened when the benchmark routes are enabled; the file is
/// recreated at each start.
public struct BenchmarkFloor: Sendable {
    /// File name of the scratch database inside the data directory; recreated at each start.
    public static let fileName = "benchmark-floor.sqlite"

    /// The scratch database (for closing at shutdown).
    public let database: AppDatabase
    /// Runs as a service next to the real writer.
    public let committer: GroupCommitWriter

    private static let schema = """
        CREATE TABLE audit (seq INTEGER PRIMARY KEY, body BLOB NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TABLE decision (
            id TEXT PRIMARY KEY NOT NULL, image_id TEXT NOT NULL UNIQUE, verdict TEXT NOT NULL,
            audit_seq INTEGER NOT NULL, decided_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """

    public static func open(directory: URL, maxBatchSize: Int) throws -> BenchmarkFloor {
        let path = directory.appendingPathComponent(fileName).path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let pool = try AppDatabase.openPool(path: path, backgroundCheckpoints: true)
        try pool.write { db in try db.execute(sql: schema) }
        return BenchmarkFloor(
            database: AppDatabase(writer: pool, path: path), committer: GroupCommitWriter(writer: pool, maxBatchSize: maxBatchSize))
    }

    /// Records `body` as the audit row of a new decision and returns the decision's audit
    /// position once the transaction is durable.
    public func record(_ body: [UInt8]) async throws -> Int64 {
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
