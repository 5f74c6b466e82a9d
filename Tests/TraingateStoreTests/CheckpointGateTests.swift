import Foundation
import GRDB
import Testing
@testable import TraingateStore

/// The checkpointer never starts a checkpoint on a log its last round left wholly copied until
/// another connection has committed: the start SQLite's WAL-reset bug races.
@Suite struct CheckpointGateTests {
    @Test func aWholeCopyClosesTheGateUntilAnotherConnectionCommits() {
        var gate = CheckpointGate()
        #expect(gate.mayStart(dataVersion: 1), "open before the first round")
        gate.finished(logFrames: 40, copiedFrames: 12, dataVersion: 2)
        #expect(gate.mayStart(dataVersion: 2), "frames left to copy: the next round may start at once")
        gate.finished(logFrames: 40, copiedFrames: 40, dataVersion: 3)
        #expect(!gate.mayStart(dataVersion: 3))
        #expect(gate.mayStart(dataVersion: 4))
        gate.finished(logFrames: 0, copiedFrames: 0, dataVersion: 4)
        #expect(!gate.mayStart(dataVersion: 4), "an empty log is wholly copied too")
    }

    /// On a real database: after a round copies the whole log, rounds are skipped (nil) until a
    /// commit lands; then one runs and copies it.
    @Test func theCheckpointerSkipsRoundsUntilACommitLands() async throws {
        try await Self.withCheckpointer { _, checkpointer, connection, commit in
            var gate = CheckpointGate()
            try await commit()
            let frames = try #require(try await checkpointer.checkpoint(using: connection, gate: &gate))
            #expect(frames > 0)
            for _ in 0..<3 { #expect(try await checkpointer.checkpoint(using: connection, gate: &gate) == nil) }
            try await commit()
            #expect(try await checkpointer.checkpoint(using: connection, gate: &gate) != nil)
        }
    }

    @Test func aTruncationClosesTheGateAsAWholeCopyDoes() {
        var gate = CheckpointGate()
        gate.finished(logFrames: 40, copiedFrames: 12, dataVersion: 2)
        gate.truncations(0, dataVersion: 2)
        #expect(gate.mayStart(dataVersion: 2), "no truncation yet")
        gate.truncations(1, dataVersion: 2)
        #expect(!gate.mayStart(dataVersion: 2))
        #expect(gate.mayStart(dataVersion: 3))
    }

    /// An erasure's truncation on the writer's queue may leave the log wholly copied: the
    /// checkpointer's next pass waits for a commit.
    @Test func theCheckpointerWaitsForACommitAfterATruncation() async throws {
        try await Self.withCheckpointer { database, checkpointer, connection, commit in
            var gate = CheckpointGate()
            try await commit()
            #expect(await database.truncateWAL(waitingAtMost: 0.25))
            #expect(try await checkpointer.checkpoint(using: connection, gate: &gate) == nil)
            try await commit()
            #expect(try await checkpointer.checkpoint(using: connection, gate: &gate) != nil)
        }
    }

    /// A fresh database with background checkpoints, the checkpointer's connection, and a commit
    /// from the writer's connection, for `body`.
    static func withCheckpointer(
        _ body: (AppDatabase, WALCheckpointer, DatabaseQueue, _ commit: () async throws -> Void) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-gate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory, backgroundCheckpoints: true)
        let checkpointer = WALCheckpointer(database: database, interval: .milliseconds(10))
        let connection = try checkpointer.openConnection()
        try await body(database, checkpointer, connection) {
            try await database.writer.write { db in
                try db.execute(sql: "INSERT INTO readiness_probe (id, at) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET at = excluded.at || 'x'")
            }
        }
        try connection.close()
        try database.close()
    }

    @Test func releasesWithTheWALResetFixAreKnown() {
        let fixed = ["3.51.3", "3.52.0", "3.53.1", "3.50.7", "3.44.6", "4.0.0"]
        let exposed = ["3.40.1", "3.51.2", "3.50.6", "3.44.5", "3.45.0", "3.7.0"]
        let fixes = fixed.map { SQLiteRelease($0)?.hasWALResetFix }
        let exposures = exposed.map { SQLiteRelease($0)?.hasWALResetFix }
        #expect(fixes == Array(repeating: true, count: fixed.count))
        #expect(exposures == Array(repeating: false, count: exposed.count))
        #expect(SQLiteRelease("not a version") == nil)
    }
}
