import PostgresTesting
import Foundation
import PolicyEngine
import StrictDocuments
import Testing
@testable import TraingateStore

/// The people's rights and what external trainers read, on each backend.
@Suite struct SubjectRightsHandlingTests {
    static let at = Timestamp.parse("2026-12-06T12:00:00Z")!

    /// An objection takes the subject's items out of the queue once, is audited each time it is
    /// asked, and turns the subject's later decisions into OPTED_OUT.
    @Test(arguments: StoreBackend.available)
    func anObjectionDequeuesTheSubjectAndStopsLaterAdmissions(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "a1", subjectID: "alice"))
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "a2", subjectID: "alice"))
            let bob = try await fixture.store.record(StoreFixture.submission(imageID: "b1", subjectID: "bob")).admission
            let alice = StoreFixture.lookup("alice")
            let first = try await fixture.rights.registerObjection(subjectRef: alice, at: Self.at, apiKey: "dpo")
            #expect(first.dequeued == 2 && !first.alreadyRegistered && first.audit.kind == .objection)
            let again = try await fixture.rights.registerObjection(subjectRef: alice, at: Self.at, apiKey: "dpo")
            #expect(again.dequeued == 0 && again.alreadyRegistered)
            #expect(try await fixture.store.queuedAdmissionIDs() == [bob.id])
            let later = try await fixture.store.record(StoreFixture.submission(imageID: "a3", subjectID: "alice")).admission
            #expect(later.reasons.map(\.code) == [.optedOut] && !later.queued)
            #expect(try await fixture.verify().ok)
        }
    }

    /// The access report holds every decision with the facts it was made on, and is audited
    /// (whether anything was held, never who asked about whom).
    @Test(arguments: StoreBackend.available)
    func anAccessReportHoldsEveryDecisionWithItsFacts(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let first = StoreFixture.submission(imageID: "a1", subjectID: "alice")
            _ = try await fixture.store.record(first)
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "a2", subjectID: "alice", verdict: .rejected))
            let report = try await fixture.rights.report(subjectRef: first.subjectRef, format: "json", at: Self.at, apiKey: "dpo")
            #expect(report.admissions.map(\.admission.imageID) == ["a1", "a2"])
            #expect(report.admissions[0].facts == (try JSONValue.parse(first.sealedFacts)))
            #expect(report.objectionRegisteredAt == nil && report.holdsAnything)
            #expect(
                report.audit.details
                    == .object(["found": .bool(true), "admissions": .integer(2), "format": .string("json"), "api_key": .string("dpo")]))
            let nobody = try await fixture.rights.report(subjectRef: StoreFixture.lookup("nobody"), format: "json", at: Self.at, apiKey: nil)
            #expect(
                !nobody.holdsAnything
                    && nobody.audit.details == .object(["found": .bool(false), "admissions": .integer(0), "format": .string("json")]))
        }
    }

    /// Erasure leaves each decision its non-personal fields only, keeps a copy another subject's
    /// decision holds, suppresses the content, destroys the key, and is audited with its counts;
    /// asked again, there is nothing left.
    @Test(arguments: StoreBackend.available)
    func anErasureKeepsOnlyWhatIsNotPersonal(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            // The same photo, from two subjects: one stored copy.
            let alice = try await fixture.store.record(StoreFixture.submission(imageID: "a1", subjectID: "alice")).admission
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "b1", subjectID: "bob"))
            let receipt = try await fixture.rights.erase(subjectRef: StoreFixture.lookup("alice"), at: Self.at, apiKey: "dpo")
            #expect(receipt.admissions == 1 && receipt.images == 0 && receipt.sharedImagesKept == 1 && receipt.queueItems == 1)
            #expect(receipt.keyDestroyed && receipt.audit.kind == .erasure)
            let erased = try #require(try await fixture.store.admission(id: alice.id))
            #expect(erased.subjectRef == "erased" && erased.requestHash == "erased" && erased.imageID == "erased:\(alice.id)")
            #expect(erased.image == nil && !erased.queued && erased.erasedAt != nil && erased.verdict == .admitted)
            #expect(erased.reasons.allSatisfy { $0.message == SubjectErasure.erasedMessage })
            let entry = try #require(try await fixture.entries().first)
            #expect(try await fixture.audit.facts(of: entry, keyring: StoreFixture.keyring) == .erased)
            // The content is suppressed: a third subject's copy of it is refused.
            let carol = try await fixture.store.record(StoreFixture.submission(imageID: "c1", subjectID: "carol")).admission
            #expect(carol.reasons.map(\.code) == [.erasedContent])
            let bob = try await fixture.rights.erase(subjectRef: StoreFixture.lookup("bob"), at: Self.at, apiKey: "dpo")
            #expect(bob.images == 1 && bob.sharedImagesKept == 0)
            #expect(try await fixture.count("image") == 0)
            #expect(try await fixture.rights.erase(subjectRef: StoreFixture.lookup("bob"), at: Self.at, apiKey: nil).nothingLeft)
            #expect(try await fixture.verify().ok)
        }
    }

    /// The manifest lists what is queued, by cursor, with the subject's audit pseudonym; the
    /// re-check says why each item is, or is no longer, admissible.
    @Test(arguments: StoreBackend.available)
    func theManifestAndTheRecheckAgree(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let kept = try await fixture.store.record(StoreFixture.submission(imageID: "kept", subjectID: "alice")).admission
            let old = try await fixture.store.record(StoreFixture.submission(imageID: "changed", subjectID: "alice")).admission
            let new = try await fixture.store.record(StoreFixture.submission(imageID: "changed", subjectID: "alice", requestHash: "h2")).admission
            let rejected = try await fixture.store.record(StoreFixture.submission(imageID: "r", subjectID: "bob", verdict: .rejected)).admission
            let objected = try await fixture.store.record(StoreFixture.submission(imageID: "o", subjectID: "carol")).admission
            _ = try await fixture.rights.registerObjection(subjectRef: StoreFixture.lookup("carol"), at: Self.at, apiKey: nil)
            let page = try await fixture.manifest.page(after: 0, limit: 10)
            #expect(page.map(\.admissionID) == [kept.id, new.id])
            let entries = try await fixture.entries()
            #expect(page[0].subjectRef == page[1].subjectRef && page[0].subjectRef == entries[0].subjectRef)
            #expect(try await fixture.manifest.page(after: page[0].cursor, limit: 10).map(\.admissionID) == [new.id])
            #expect(try await fixture.manifest.image(of: kept.id)?.bytes == [0xFF, 0xD8, 0xFF, 0x00])
            #expect(try await fixture.manifest.image(of: old.id) == nil)
            let answers = try await fixture.admissibility.check([kept.id, old.id, rejected.id, objected.id, "adm_unknown"])
            #expect(answers == [kept.id: .queued, old.id: .superseded, rejected.id: .rejected, objected.id: .objected, "adm_unknown": .notFound])
        }
    }
}
