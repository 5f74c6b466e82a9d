import PostgresTesting
import Foundation
import StrictDocuments
import Testing
@testable import TraingateStore

/// API keys on each backend: only a hash stored, names never reused, every change audited.
@Suite struct APIKeyStoringTests {
    @Test(arguments: StoreBackend.available)
    func keysAreCreatedRevokedAndAuditedButNamesNeverReused(_ backend: StoreBackend) async throws {
        try await BackendFixture.with(backend) { fixture in
            let now = try #require(Timestamp.parse("2026-12-06T10:00:00Z"))
            let expiry = now.addingTimeInterval(86_400)
            let ingest = try await fixture.keys.create(name: "ingest", role: "submitter", expiresAt: expiry, at: now)
            let dpo = try await fixture.keys.create(name: "dpo", role: "dpo", expiresAt: nil, at: now)
            #expect(ingest.text.hasPrefix("tg_") && APIKeyText(presented: ingest.text)?.matches(digest: ingest.key.digest) == true)
            guard case .object(let created) = ingest.audit.details else { throw TestFailure("the creation's entry has no details") }
            #expect(created["event"] == .string("created") && created["role"] == .string("submitter"))
            #expect(try await fixture.keys.all() == [ingest.key, dpo.key])
            await #expect { try await fixture.keys.create(name: "ingest", role: "admin", expiresAt: nil, at: now) } throws: { error in
                (error as? StoreError)?.code == .conflict
            }

            let revoked = try #require(try await fixture.keys.revoke(name: "ingest", at: now.addingTimeInterval(60)))
            #expect(revoked.details == .object(["event": .string("revoked"), "name": .string("ingest")]))
            #expect(try await fixture.keys.revoke(name: "ingest", at: now) == nil)
            #expect(try await fixture.keys.revoke(name: "nobody", at: now) == nil)
            try await fixture.keys.recordUse(["dpo": now.addingTimeInterval(120)])
            let stored = try await fixture.keys.all()
            #expect(stored.map(\.name) == ["ingest", "dpo"])
            #expect(stored[0].revokedAt == now.addingTimeInterval(60) && !stored[0].isUsable(at: now))
            #expect(stored[1].lastUsedAt == now.addingTimeInterval(120) && stored[1].isUsable(at: now))
            // Created, created, revoked: three entries, the refused creation none.
            #expect(try await fixture.entries().map(\.kind) == [.apiKey, .apiKey, .apiKey])
            #expect(try await fixture.verify().ok)
        }
    }
}
