import Foundation
import GRDB

/// The least storage work an admission can do, for bench/admissions: in a scratch database
/// beside the real one, with the same `synchronous=FULL` group commit, each request reads the
/// audit head and its idempotency key, then inserts one audit row and one admission row; two
/// tables with only the keys those reads need. No pseudonyms, no sealing, no other index, and
/// sequential keys: cheaper than any real admission write, so what an admission costs beyond
/// this floor is the price of everything else it must do. Only opened when the benchmark routes
/// are enabled.
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
        let pool = try AppDatabase.openPool(path: path, backgroundCheckpoints: false)
        try pool.write { db in try db.execute(sql: schema) }
        return BenchmarkFloor(
            database: AppDatabase(writer: pool, path: path), committer: GroupCommitWriter(writer: pool, maxBatchSize: maxBatchSize))
    }

    /// Records `body` as the audit row of a new decision and returns the decision's audit
    /// position once the transaction is durable.
    public func record(_ body: [UInt8]) async throws -> Int64 {
        try await committer.submit { db in
            let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
            let seq = (head?[0] as Int64? ?? 0) + 1
            let imageID = "floor-\(seq)"
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM decision WHERE image_id = ?)"), arguments: [imageID]) == false
            else { return seq }
            let hash = String(repeating: "0", count: 64)
            try db.cachedStatement(sql: "INSERT INTO audit (seq, body, prev_hash, hash) VALUES (?, ?, ?, ?)")
                .execute(arguments: [seq, Data(body), head?[1] as String? ?? hash, hash])
            try db.cachedStatement(sql: "INSERT INTO decision (id, image_id, verdict, audit_seq, decided_at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [String(format: "adm_%016llx", seq), imageID, "rejected", seq, "2026-11-29T00:00:00Z"])
            return seq
        }
    }

    /// Decisions stored so far (for tests).
    public func count() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM decision") ?? 0 }
    }
}
