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
}
