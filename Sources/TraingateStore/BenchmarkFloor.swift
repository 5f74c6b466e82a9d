import Foundation
import GRDB

/// The cheapest durable write a request can make, for bench/admissions: one small row per
/// request, group-committed with `synchronous=FULL` by the same `GroupCommitWriter`, in a
/// scratch database beside the real one. Any admission costs at least this much more than a
/// no-op request, plus its decoding and its decision; the benchmark reports it so that the
/// rest of an admission's write (audit chain, sealed facts, lookups, indexes) can be read
/// against it. Only opened when the benchmark routes are enabled.
public struct BenchmarkFloor: Sendable {
    /// File name of the scratch database inside the data directory; recreated at each start.
    public static let fileName = "benchmark-floor.sqlite"

    /// The scratch database (for closing at shutdown).
    public let database: AppDatabase
    /// Runs as a service next to the real writer.
    public let committer: GroupCommitWriter

    public static func open(directory: URL, maxBatchSize: Int) throws -> BenchmarkFloor {
        let path = directory.appendingPathComponent(fileName).path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let pool = try AppDatabase.openPool(path: path, backgroundCheckpoints: false)
        try pool.write { db in try db.execute(sql: "CREATE TABLE floor (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        return BenchmarkFloor(
            database: AppDatabase(writer: pool, path: path), committer: GroupCommitWriter(writer: pool, maxBatchSize: maxBatchSize))
    }

    /// Stores `body` as a new row and returns its id once the transaction is durable.
    public func record(_ body: [UInt8]) async throws -> Int64 {
        try await committer.submit { db in
            try db.cachedStatement(sql: "INSERT INTO floor (body) VALUES (?)").execute(arguments: [Data(body)])
            return db.lastInsertedRowID
        }
    }

    /// Rows stored so far (for tests).
    public func count() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM floor") ?? 0 }
    }
}
