import PostgresTesting
import Foundation
import StrictDocuments
import Testing
@testable import TraingateStore

/// The audit log's own entries, pages, anchors and sealed facts, on each backend.
@Suite struct AuditLogStoreTests {
    @Test(arguments: StoreBackend.available)
    func thePolicyInForceIsRecordedOnceAndAgainWhenItChanges(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let first = try await fixture.audit.recordPolicyInForce(id: "default", version: "sha256:one", at: Date())
            #expect(first?.kind == .policyChange && first?.policyVersion == "sha256:one")
            #expect(try await fixture.audit.recordPolicyInForce(id: "default", version: "sha256:one", at: Date()) == nil)
            let second = try #require(try await fixture.audit.recordPolicyInForce(id: "default", version: "sha256:two", at: Date()))
            #expect(second.details == .object(["policy_id": .string("default"), "previous_version": .string("sha256:one")]))
            #expect(try await fixture.entries().count == 2)
        }
    }

    /// Filters and cursors give the same pages on both backends, and an entry read on a page
    /// that starts after it names the hash before it as its `prev_hash`.
    @Test(arguments: StoreBackend.available)
    func pagesAreFilteredByKindDecisionReasonAndTime(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "a"))
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "b", verdict: .rejected))
            // Times with and without fractions, which do not sort as text.
            for at in ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.5Z", "2030-01-01T00:00:01Z"] {
                _ = try await fixture.audit.append(AuditRecord(kind: .objection, at: at, details: .object(["at": .string(at)])))
            }
            let all = try await fixture.entries()
            #expect(all.count == 5)
            #expect(try await fixture.audit.entries(AuditQuery(kind: .decision)).map(\.seq) == [1, 2])
            #expect(try await fixture.audit.entries(AuditQuery(decision: "rejected")).map(\.seq) == [2])
            #expect(try await fixture.audit.entries(AuditQuery(reason: "VISIBILITY_NOT_PUBLIC")).map(\.seq) == [2])
            #expect(try await fixture.audit.entries(AuditQuery(reason: "NOT_A_CODE")).isEmpty)
            let window = AuditQuery(kind: .objection, since: "2030-01-01T00:00:00.25Z", until: "2030-01-01T00:00:01Z")
            #expect(try await fixture.audit.entries(window).map(\.seq) == [4])
            let page = try await fixture.audit.entries(AuditQuery(after: 2, limit: 2))
            #expect(page.map(\.seq) == [3, 4])
            #expect(page[0].prevHash == all[1].hash && page == Array(all[2...3]))
        }
    }

    /// The head is anchored once; a later head is anchored again; verification checks both.
    @Test(arguments: StoreBackend.available)
    func headsAreAnchoredOnceAndVerifiedAgainst(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            #expect(try await fixture.audit.anchorHead(at: Date()) == nil)  // nothing to anchor yet
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "a"))
            let first = try #require(try await fixture.audit.anchorHead(at: Date()))
            let entries = try await fixture.entries()
            #expect(first.seq == 1 && first.hash == entries[0].hash)
            #expect(try await fixture.audit.anchorHead(at: Date()) == nil)
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "b"))
            #expect(try await fixture.audit.anchorHead(at: Date())?.seq == 2)
            let verdict = try await fixture.audit.verify()
            #expect(verdict.ok && verdict.anchorsChecked == 2)
        }
    }

    /// A decision's facts open under its subject's key, and read as erased once the key is gone.
    @Test(arguments: StoreBackend.available)
    func factsOpenUntilTheSubjectsKeyIsShredded(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let submission = StoreFixture.submission(imageID: "a", subjectID: "alice")
            _ = try await fixture.store.record(submission)
            let entry = try #require(try await fixture.entries().first)
            #expect(try await fixture.audit.facts(of: entry, keyring: StoreFixture.keyring) == .open(submission.sealedFacts))
            let opened = try await fixture.audit.unsealedFacts(of: entry, subjectLookup: submission.subjectRef, keyring: StoreFixture.keyring)
            #expect(opened == submission.sealedFacts)
            try await fixture.shredKey(submission.subjectRef)
            #expect(try await fixture.audit.facts(of: entry, keyring: StoreFixture.keyring) == .erased)
            #expect(try await fixture.audit.unsealedFacts(of: entry, subjectLookup: submission.subjectRef, keyring: StoreFixture.keyring) == nil)
            #expect(try await fixture.audit.verify().ok)
        }
    }
}
