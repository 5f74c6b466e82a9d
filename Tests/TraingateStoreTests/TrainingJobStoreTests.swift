import PostgresTesting
import Foundation
import StrictDocuments
import TestFixtures
import Testing
@testable import TraingateStore

/// Training jobs, their checkpoints and embeddings, on each backend. The worker's synchronous
/// calls run off the cooperative pool, as the worker's own thread does.
@Suite struct TrainingJobStoreTests {
    static let at = Timestamp.parse("2026-12-06T12:00:00Z")!

    /// Queued, started oldest first, cancelled only while queued, ended with an error: each
    /// step on the row and in the audit log.
    @Test(arguments: StoreBackend.available)
    func aJobIsQueuedStartedCancelledAndEndedOnTheRecord(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let training = fixture.training
            let first = try await training.submit(parameters: .object(["epochs": .integer(1)]), at: Self.at, apiKey: "ops", maxQueued: .max)
            let second = try await training.submit(parameters: .object([:]), at: Self.at, apiKey: nil, maxQueued: .max)
            #expect(first.status == .queued && first.apiKey == "ops")
            #expect(try await training.jobs(limit: 10).map(\.id) == [second.id, first.id])
            let started = try #require(try await training.startNext(at: Self.at))
            #expect(started.id == first.id && started.status == .running)
            #expect(try await training.cancelIfQueued(first.id, at: Self.at, by: "ops")?.cancelled == false)
            let cancelled = try #require(try await training.cancelIfQueued(second.id, at: Self.at, by: "ops"))
            #expect(cancelled.cancelled && cancelled.job.status == .cancelled)
            #expect(try await training.startNext(at: Self.at) == nil)
            try await OffPool.run {
                try training.recordProgress(first.id, TrainingProgress(epoch: 1, step: 3, totalSteps: 4, loss: 0.5), images: 2)
                try training.end(started, status: .failed, error: "out of memory", at: Self.at)
            }
            let failed = try #require(try await training.job(first.id))
            #expect(failed.status == .failed && failed.error == "out of memory" && failed.finishedAt != nil)
            let events = try await fixture.entries().filter { $0.kind == .trainingJob }.compactMap { entry -> String? in
                guard case .object(let details) = entry.details, case .string(let event) = details["event"] else { return nil }
                return event
            }
            #expect(events == ["started", "cancelled", "failed"])
            #expect(try await fixture.verify().ok)
        }
    }

    /// A job's snapshot reads the queued images in decision order; its success writes the
    /// checkpoint, the lineage of everything it trained, and embeddings only for images still
    /// queued when it commits, which are the only ones served.
    @Test(arguments: StoreBackend.available)
    func aSucceededJobKeepsItsLineageAndOnlyStillLawfulEmbeddings(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            var admissions: [StoredAdmission] = []
            for index in 0..<3 {
                admissions.append(try await fixture.store.record(StoreFixture.submission(imageID: "img-\(index)")).admission)
            }
            let training = fixture.training
            _ = try await training.submit(parameters: .object([:]), at: Self.at, apiKey: nil, maxQueued: .max)
            let job = try #require(try await training.startNext(at: Self.at))
            let snapshot = try await OffPool.run {
                try training.snapshot(limit: 10) { image, bytes in (image.admissionID, bytes) }.map(\.input)
            }
            #expect(snapshot.map(\.0) == admissions.map(\.id))
            #expect(snapshot.allSatisfy { $0.1 == [0xFF, 0xD8, 0xFF, 0x00] })
            // The last image leaves the queue (a rejection supersedes it) while the job runs.
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "img-2", verdict: .rejected, requestHash: "h2"))
            let ids = admissions.map(\.id)
            #expect(try await OffPool.run { try training.stillQueued(ids) } == Set(ids.prefix(2)))
            let checkpoint = TrainedCheckpoint(
                id: "ckpt_1", format: 1, parameters: .object(["dim": .integer(2)]), weights: [1, 2, 3], embeddingDimension: 2,
                lineage: admissions.map {
                    TrainedCheckpoint.Lineage(admissionID: $0.id, imageSHA256: $0.image!.sha256, policyVersion: $0.policyVersion, epochs: 1)
                },
                embeddings: admissions.enumerated().map { ($0.element.id, [Float($0.offset), 1]) })
            try await OffPool.run { try training.succeed(job, checkpoint: checkpoint, at: Self.at) }

            let succeeded = try #require(try await training.job(job.id))
            #expect(succeeded.status == .succeeded && succeeded.checkpointID == "ckpt_1" && succeeded.images == 3)
            let newest = try #require(try await fixture.embeddings.newestCheckpoint())
            #expect(newest.id == "ckpt_1" && newest.weights == [1, 2, 3] && newest.embeddingDimension == 2 && !newest.isTainted)
            #expect(try await fixture.embeddings.embedding(of: ids[1])?.vector == [1, 1])
            #expect(try await fixture.embeddings.embedding(of: ids[2]) == nil)
            let matrix = try await fixture.embeddings.matrix(of: "ckpt_1", dimension: 2)
            #expect(matrix.admissionIDs == Array(ids.prefix(2)).sorted())
            #expect(try await fixture.count("checkpoint_lineage") == 3)
            // Superseding an image again takes its embedding with it; so does a withdrawal of
            // consent sent for the same image, which also dequeues the subject's other items.
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "img-1", verdict: .rejected, requestHash: "h3"))
            #expect(try await fixture.embeddings.embedding(of: ids[1]) == nil)
            #expect(try await fixture.count("embedding") == 1)
            let withdrawal = try await fixture.store.record(
                StoreFixture.submission(imageID: "img-0", requestHash: "h4", consentWithdrawn: true)
            ).admission
            #expect(withdrawal.reasons.map(\.code) == [.consentWithdrawn])
            #expect(try await fixture.embeddings.embedding(of: ids[0]) == nil)
            #expect(try await fixture.count("embedding") == 0)
            #expect(try await fixture.store.queuedAdmissionIDs().isEmpty)
            #expect(try await fixture.verify().ok)
        }
    }

    /// A job left running by a process that died is failed at the next start, on the record.
    @Test(arguments: StoreBackend.available)
    func aJobCutOffByADeadProcessIsFailed(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let training = fixture.training
            _ = try await training.submit(parameters: .object([:]), at: Self.at, apiKey: nil, maxQueued: .max)
            let job = try #require(try await training.startNext(at: Self.at))
            #expect(try await OffPool.run { try training.failInterrupted(at: Self.at) } == [job.id])
            let failed = try #require(try await training.job(job.id))
            #expect(failed.status == .failed && failed.error?.contains("the service stopped while this job was running") == true)
            #expect(try await OffPool.run { try training.failInterrupted(at: Self.at) }.isEmpty)
        }
    }

    /// At most `maxQueued` jobs wait at once, counted inside the write, so that twenty
    /// concurrent submissions against a bound of five queue exactly five; a job that leaves the
    /// queue (cancelled here) makes room again.
    @Test(arguments: StoreBackend.available)
    func theQueueOfJobsIsBoundedInsideTheWrite(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let training = fixture.training
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 {
                    group.addTask { (try? await training.submit(parameters: .object([:]), at: Self.at, apiKey: nil, maxQueued: 5)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 5)
            await #expect { try await training.submit(parameters: .object([:]), at: Self.at, apiKey: nil, maxQueued: 5) } throws: {
                ($0 as? StoreError)?.code == .conflict
            }
            let first = try #require(try await training.jobs(limit: 10).last)
            _ = try await training.cancelIfQueued(first.id, at: Self.at, by: nil)
            _ = try await training.submit(parameters: .object([:]), at: Self.at, apiKey: nil, maxQueued: 5)
        }
    }
}
