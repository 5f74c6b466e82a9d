import PostgresTesting
import Crypto
import Foundation
import PostgresNIO
import TestFixtures
import Testing
@testable import TraingatePostgres
@testable import TraingateStore

/// Several gate instances on one PostgreSQL database: each its own connections and group
/// committer, as separate processes would have, sharing the master key.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresInstancesTests {
    /// The same (`source`, `image_id`) sent to two instances at once is decided once: one
    /// instance records it, the other answers with that decision. Different bodies for one key
    /// are both decided, one after the other, and only the later stays current.
    @Test func idempotencyHoldsAcrossInstances() async throws {
        try await PostgresTestDatabase.withURL { url in
            let sameBody = (0..<100).map { StoreFixture.submission(imageID: "same-\($0)", subjectID: "subject-\($0 % 9)") }
            let twoBodies = (0..<50).map { index in
                ["a", "b"].map { StoreFixture.submission(imageID: "two-\(index)", subjectID: "subject-\(index % 9)", requestHash: $0) }
            }
            let outcomes = try await Self.withInstances(2, url: url) { instances in
                try await withThrowingTaskGroup(of: AdmissionOutcome.self) { group in
                    for submission in sameBody {
                        for instance in instances { group.addTask { try await instance.record(submission) } }
                    }
                    for (first, second) in twoBodies.map({ ($0[0], $0[1]) }) {
                        group.addTask { try await instances[0].record(first) }
                        group.addTask { try await instances[1].record(second) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            for index in 0..<100 {
                let answers = outcomes.filter { $0.admission.imageID == "same-\(index)" }
                // Both answers are the one decision, field for field (one as written, one as read back).
                #expect(answers.count == 2 && answers.filter(\.isNew).count == 1 && answers[0].admission == answers[1].admission)
            }
            for index in 0..<50 { #expect(outcomes.filter { $0.admission.imageID == "two-\(index)" && $0.isNew }.count == 2) }
            try await PostgresTestDatabase.running(url: url) { database in
                let admissions = PostgresAdmissionStore(store: database, keyring: StoreFixture.keyring)
                #expect(try await admissions.queuedAdmissionIDs().count == 150)
                let verdict = try await PostgresAuditLog(database: database).verify()
                #expect(verdict.ok && verdict.entries == 200)
                // Each subject has one key, whichever instance first decided for it.
                let keys = try await database.openClient().query("SELECT count(*) FROM subject_key", logger: database.logger).collect()
                #expect(try keys[0].decode(Int64.self) == 9)
            }
        }
    }

    /// Runs `count` instances on `url` for the duration of `body`.
    static func withInstances<T: Sendable>(
        _ count: Int, url: String, _ body: @Sendable ([PostgresAdmissionStore]) async throws -> T
    ) async throws -> T {
        func nest(_ made: [PostgresAdmissionStore]) async throws -> T {
            guard made.count < count else { return try await body(made) }
            return try await PostgresTestDatabase.running(url: url) { database in
                // A keyring of its own (its own key cache), under the shared master key.
                let keyring = StoreFixture.freshKeyring()
                let store = PostgresAdmissionStore(store: database, keyring: keyring)
                return try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await store.committer.run() }
                    defer { group.cancelAll() }
                    return try await nest(made + [store])
                }
            }
        }
        return try await nest([])
    }

    /// A deposed training lead is fenced: once the new lead failed its job as interrupted, the
    /// old lead's success is refused and leaves nothing (no checkpoint, no lineage).
    @Test func aDeposedLeadCannotEndAJobTheNewLeadFailed() async throws {
        try await PostgresTestDatabase.with { database in
            let at = Date()
            let oldLead = PostgresTrainingStore(store: database, keyring: StoreFixture.keyring)
            let newLead = PostgresTrainingStore(store: database, keyring: StoreFixture.keyring)
            _ = try await oldLead.submit(parameters: .object([:]), at: at, apiKey: nil, maxQueued: .max)
            let job = try #require(try await oldLead.startNext(at: at))
            #expect(try await OffPool.run { try newLead.failInterrupted(at: at) } == [job.id])
            let checkpoint = TrainedCheckpoint(
                id: "ckpt_late", format: 1, parameters: .object([:]), weights: [1], embeddingDimension: 1, lineage: [], embeddings: [])
            await #expect {
                try await OffPool.run { try oldLead.succeed(job, checkpoint: checkpoint, at: at) }
            } throws: { error in
                (error as? StoreError)?.code == .conflict
            }
            #expect(try await oldLead.job(job.id)?.status == .failed)
            #expect(try await PostgresEmbeddingStore(store: database).newestCheckpoint() == nil)
        }
    }

    /// A cancel any instance receives for a running job is recorded for the lead to read; one
    /// for a job that has ended is refused, so the caller hears 409 rather than 202.
    @Test func aCancelIsRecordedForARunningJobOnly() async throws {
        try await PostgresTestDatabase.with { database in
            let at = Date()
            let training = PostgresTrainingStore(store: database, keyring: StoreFixture.keyring)
            _ = try await training.submit(parameters: .object([:]), at: at, apiKey: nil, maxQueued: .max)
            let job = try #require(try await training.startNext(at: at))
            #expect(try await training.cancelRequest(of: job.id) == nil)
            #expect(try await training.requestCancel(job.id, by: "trainer-key"))
            #expect(try await training.cancelRequest(of: job.id) == TrainingCancelRequest(apiKey: "trainer-key"))
            try await OffPool.run { try training.end(job, status: .cancelled, error: "cancelled at step 1", at: at) }
            #expect(try await !training.requestCancel(job.id, by: "trainer-key"))
        }
    }
}
