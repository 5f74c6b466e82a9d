import Foundation
import GRDB
import Testing
@testable import BenchmarkRoutes

@Suite struct BenchmarkFloorTests {
    /// The floor must pay what a real durable write pays: the same FULL commits as the real
    /// database, one audit position per request, and fresh tables at each start so a long
    /// benchmark history does not skew it.
    @Test(.timeLimit(.minutes(1))) func theFloorCommitsDurablyAndStartsEmptyEachTime() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-floor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for run in 0..<2 {
            let floor = try BenchmarkFloor.open(directory: directory, maxBatchSize: 64, checkpointInterval: .seconds(2))
            let service = Task { try await floor.committer.run() }
            let positions = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<20 { group.addTask { try await floor.record(Array("body \(index)".utf8)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(positions.sorted() == Array(1...20), "run \(run)")
            #expect(try await floor.count() == 20)
            let synchronous = try await floor.database.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(synchronous == 2)
            service.cancel()
            _ = try? await service.value
            try floor.database.close()
        }
    }
}
