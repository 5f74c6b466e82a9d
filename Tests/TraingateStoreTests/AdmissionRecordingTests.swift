import PostgresTesting
import Foundation
import PolicyEngine
import StrictDocuments
import Synchronization
import Testing
@testable import TraingateStore

/// What recording a decision guarantees, on each backend (`StoreBackend`): SQLite, and
/// PostgreSQL when its cluster runs.
@Suite struct AdmissionRecordingTests {
    @Test(arguments: StoreBackend.available)
    func anAdmissionItsAuditEntryAndItsQueueRowCommitTogether(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let outcome = try await fixture.store.record(StoreFixture.submission())
            guard case .created(let admission) = outcome else { throw TestFailure("expected a new decision") }
            #expect(admission.queued)
            #expect(admission.auditSeq == 1)
            #expect(try await fixture.store.queuedAdmissionIDs() == [admission.id])
            let entries = try await fixture.entries()
            #expect(entries.map(\.admissionID) == [admission.id])
            #expect(entries[0].hash == admission.auditHash)
            // The entry names the subject under the subject's own key, not the lookup pseudonym.
            #expect(entries[0].subjectRef != admission.subjectRef)
            #expect(entries[0].subjectRef?.count == 64)
            #expect(try await fixture.verify().ok)
            // Read back, it is what the write handed back.
            #expect(try await fixture.store.admission(id: admission.id) == admission)
        }
    }

    @Test(arguments: StoreBackend.available)
    func thePixelsOfARejectedPhotoAreNeverStored(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let rejected = try await fixture.store.record(StoreFixture.submission(verdict: .rejected)).admission
            #expect(rejected.image == nil)
            #expect(!rejected.queued)
            #expect(try await fixture.count("image") == 0)
        }
    }

    @Test(arguments: StoreBackend.available)
    func theSameBodyAgainWritesNothing(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let first = try await fixture.store.record(StoreFixture.submission())
            let second = try await fixture.store.record(StoreFixture.submission())
            guard case .unchanged(let stored) = second else { throw TestFailure("expected unchanged") }
            #expect(stored.id == first.admission.id)
            #expect(try await fixture.entries().count == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aChangedBodyIsDecidedAgainAndARejectionLeavesTheQueue(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let first = try await fixture.store.record(StoreFixture.submission()).admission
            let second = try await fixture.store.record(StoreFixture.submission(verdict: .rejected, requestHash: "h2")).admission
            #expect(second.id != first.id)
            #expect(second.auditSeq == 2)
            #expect(try await fixture.store.queuedAdmissionIDs().isEmpty)
            let old = try #require(try await fixture.store.admission(id: first.id))
            #expect(old.supersededBy == second.id)
            #expect(old.queued == false)
            let third = try await fixture.store.record(StoreFixture.submission(requestHash: "h3")).admission
            #expect(try await fixture.store.queuedAdmissionIDs() == [third.id])
        }
    }

    /// The write reads the subject's standing and calls the engine itself when it is not clear:
    /// an objection registered before the write turns the pre-computed admission into OPTED_OUT,
    /// with nothing from the app in between.
    @Test(arguments: StoreBackend.available)
    func theWriteDecidesAgainWithTheStandingItReads(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let submission = StoreFixture.submission(imageID: "objected", subjectID: "objector")
            #expect(submission.decision.verdict == .admitted)
            try await fixture.registerObjection(submission.subjectRef)
            #expect(try await fixture.store.standing(subjectRef: submission.subjectRef, contentSHA256: nil).objectionRegistered)
            guard case .created(let admission) = try await fixture.store.record(submission) else { throw TestFailure("expected a new decision") }
            #expect(admission.verdict == .rejected)
            #expect(admission.reasons.map(\.code) == [.optedOut])
            #expect(!admission.queued)
            #expect(try await fixture.store.queuedAdmissionIDs().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aFailedWriteRecordsNothingAndReportsAStorageError(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            try await fixture.failInserts("queue_item")
            await #expect {
                try await fixture.store.record(StoreFixture.submission())
            } throws: { error in
                (error as? StoreError)?.code == .writeFailed && "\(error)".contains("disk on fire")
            }
            for table in ["admission", "audit_entry", "image", "subject_key"] { #expect(try await fixture.count(table) == 0) }
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentAdmissionsShareTransactionsAndKeepOneUnbrokenChain(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let count = 300
            let seqs = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<count {
                    group.addTask { try await fixture.store.record(StoreFixture.submission(imageID: "img-\(index)")).admission.auditSeq }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(seqs.sorted() == (1...Int64(count)).map { $0 })
            #expect(fixture.committedTransactions() < count)
            let verification = try await fixture.verify()
            #expect(verification.ok && verification.entries == count)
            #expect(try await fixture.store.queuedAdmissionIDs().count == count)
        }
    }

    /// Decisions submitted together are committed together, and each is decided after the ones
    /// before it, whatever the grouping: the same body three times is decided once, two bodies
    /// for one image are both decided (the later supersedes the earlier), and a new subject's
    /// several decisions share one key.
    @Test(arguments: StoreBackend.available)
    func decisionsCommittedTogetherAreDecidedInTurn(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            func body(image: Int, hash: String) -> AdmissionSubmission {
                StoreFixture.submission(imageID: "img-\(image)", subjectID: "subject-\(image % 7)", requestHash: hash)
            }
            let repeated = (0..<10).flatMap { image in Array(repeating: body(image: image, hash: "same-\(image)"), count: 3) }
            let changed = (10..<20).flatMap { image in [body(image: image, hash: "a-\(image)"), body(image: image, hash: "b-\(image)")] }
            let outcomes = try await withThrowingTaskGroup(of: AdmissionOutcome.self) { group in
                for submission in (repeated + changed).shuffled() { group.addTask { try await fixture.store.record(submission) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = outcomes.filter(\.isNew).map(\.admission)
            #expect(created.count == 10 + 20)
            #expect(try await fixture.count("admission") == 30)
            // Every repeat was told the one decision its body got.
            for image in 0..<10 {
                #expect(Set(outcomes.map(\.admission).filter { $0.imageID == "img-\(image)" }.map(\.id)).count == 1)
            }
            // One current decision per image, and it is the queued one.
            let queued = Set(try await fixture.store.queuedAdmissionIDs())
            #expect(queued.count == 20)
            for admission in created {
                let stored = try #require(try await fixture.store.admission(id: admission.id))
                #expect((stored.supersededBy == nil) == queued.contains(admission.id))
            }
            #expect(try await fixture.count("subject_key") == 7)
            #expect(try await fixture.verify().ok)
        }
    }

    /// Withdrawals of consent committed in one group count and dequeue what they would one at a
    /// time, on both backends: a subject's second withdrawal finds nothing left, and a withdrawal
    /// after a supersession in the same group takes the new item with the stored ones.
    @Test(arguments: StoreBackend.available)
    func withdrawalsCommittedTogetherDequeueAsOneAtATime(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            func submission(_ subject: String, _ image: Int, _ hash: String, withdrawn: Bool = false) -> AdmissionSubmission {
                StoreFixture.submission(imageID: "\(subject)-\(image)", subjectID: subject, requestHash: hash, consentWithdrawn: withdrawn)
            }
            var stored: [String: String] = [:]
            for (subject, image) in [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("c", 0), ("c", 1)] {
                stored["\(subject)\(image)"] = try await fixture.store.record(submission(subject, image, "first")).admission.id
            }
            let together = [
                submission("a", 0, "withdrawn", withdrawn: true), submission("a", 1, "withdrawn", withdrawn: true),
                submission("c", 0, "second"), submission("c", 1, "withdrawn", withdrawn: true), submission("b", 1, "first"),
            ]
            let groupsBefore = fixture.committedTransactions()
            let recordings = Mutex<[Task<AdmissionOutcome, any Error>]>([])
            let holding = try await fixture.holdingWrites {
                // Submitted one after another, so that the group decides them in this order.
                for (index, job) in together.enumerated() {
                    recordings.withLock { $0.append(Task { try await fixture.store.record(job) }) }
                    try await Eventually.wait("job \(index) submitted") { fixture.pendingJobs() >= index + 1 }
                }
            }
            var admissions: [StoredAdmission] = []
            for recording in recordings.withLock({ $0 }) { admissions.append(try await recording.value.admission) }
            // The five together (after the hold's own group on SQLite; on PostgreSQL the first
            // job's group waited for the lock and formed with all five once it had it).
            #expect(fixture.committedTransactions() - groupsBefore == holding + 1)
            let dequeued = try await fixture.entries().reduce(into: [String: JSONValue]()) { found, entry in
                if let id = entry.admissionID, case .object(let details)? = entry.details, let count = details["dequeued"] { found[id] = count }
            }
            // a's first withdrawal takes a0 (the decision it supersedes), a1 and a2, its second
            // finds none; c's takes c1 and the c0 the group had just queued in place of the old.
            #expect(dequeued == [admissions[0].id: .integer(3), admissions[1].id: .integer(0), admissions[3].id: .integer(2)])
            #expect(Set(try await fixture.store.queuedAdmissionIDs()) == [stored["b0"]!, admissions[4].id])
            #expect(try await fixture.count("admission WHERE queued") == 2)
            #expect(try await fixture.verify().ok)
        }
    }
}
