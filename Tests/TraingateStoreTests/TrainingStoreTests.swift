import Foundation
import GRDB
import StrictDocuments
import Testing
@testable import TraingateStore

@Suite struct TrainingStoreTests {
    /// A job row edited outside traingate is an error naming the job, never a crash.
    @Test(arguments: [
        "UPDATE training_job SET epoch = 'x'", "UPDATE training_job SET parameters = '{'",
        "UPDATE training_job SET status = 'paused'", "UPDATE training_job SET created_at = X'FF'",
    ])
    func anEditedJobRowIsReportedNotTrappedOn(edit: String) async throws {
        try await StoreFixture.withStore { fixture in
            let store = TrainingStore(database: fixture.database)
            let job = try await store.submit(parameters: .object(["epochs": .number(1)]), at: Timestamp.parse("2026-11-28T12:00:00Z")!)
            #expect(try await store.job(job.id) == job)
            try await fixture.database.writer.write { db in
                // The schema would refuse some edits; an attacker's connection would not check.
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: edit)
            }
            await #expect { try await store.job(job.id) } throws: { "\($0)".contains("training job \(job.id) does not decode") }
        }
    }

    /// At most `maxQueued` jobs wait at once, counted inside the write, so that twenty
    /// concurrent submissions against a bound of five queue exactly five; a job that leaves the
    /// queue (cancelled here) makes room again.
    @Test func theQueueOfJobsIsBoundedInsideTheWrite() async throws {
        try await StoreFixture.withStore { fixture in
            let store = TrainingStore(database: fixture.database)
            let at = Timestamp.parse("2026-11-28T12:00:00Z")!
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 {
                    group.addTask { (try? await store.submit(parameters: .object([:]), at: at, maxQueued: 5)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 5)
            await #expect { try await store.submit(parameters: .object([:]), at: at, maxQueued: 5) } throws: {
                ($0 as? StoreError)?.code == .conflict
            }
            let first = try #require(try await store.jobs().last)
            _ = try await store.cancelIfQueued(first.id, at: at)
            _ = try await store.submit(parameters: .object([:]), at: at, maxQueued: 5)
        }
    }
}
