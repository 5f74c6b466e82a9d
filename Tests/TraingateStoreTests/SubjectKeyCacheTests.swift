import Crypto
import Foundation
import GRDB
import Testing
@testable import TraingateStore

/// Admissions key and seal before their write with the key the subject's last committed
/// admission used. The write trusts that only when it is the key stored now, and an erasure
/// takes the key out of memory as well as out of the database.
@Suite struct SubjectKeyCacheTests {
    /// The decision entries of the log, in order.
    static func decisions(_ fixture: StoreFixture) async throws -> [AuditEntry] {
        try await AuditStore(database: fixture.database).entries().filter { $0.kind == .decision }
    }

    @Test func anErasedSubjectsKeyLeavesMemoryAndIsNeverUsedAgain() async throws {
        try await StoreFixture.withStore(keyring: StoreFixture.freshKeyring()) { fixture in
            let subject = "cache-\(UUID().uuidString)"
            let first = StoreFixture.submission(imageID: "a", subjectID: subject, requestHash: "a")
            _ = try await fixture.store.record(first)
            #expect(fixture.keyring.cache.contains(lookup: first.subjectRef))
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "b", subjectID: subject, requestHash: "b"))

            let rights = SubjectRightsStore(database: fixture.database, keyring: fixture.keyring)
            _ = try await rights.erase(subjectRef: first.subjectRef, at: Date(), apiKey: nil)
            #expect(!fixture.keyring.cache.contains(lookup: first.subjectRef))

            _ = try await fixture.store.record(StoreFixture.submission(imageID: "c", subjectID: subject, requestHash: "c"))
            let refs = try await Self.decisions(fixture).map(\.subjectRef)
            // The same key for both admissions before the erasure, a new one after it.
            #expect(refs.count == 3 && refs[0] == refs[1] && refs[2] != refs[0])
        }
    }

    @Test func aCachedKeyThatIsNotTheStoredOneIsNotUsed() async throws {
        try await StoreFixture.withStore(keyring: StoreFixture.freshKeyring()) { fixture in
            let subject = "stale-\(UUID().uuidString)"
            let first = StoreFixture.submission(imageID: "a", subjectID: subject, requestHash: "a")
            _ = try await fixture.store.record(first)
            // Another key in the cache (as a database restored from elsewhere would leave it).
            let other = SubjectKey.random()
            let cache = fixture.keyring.cache
            cache.remember(
                .init(wrapped: try fixture.keyring.wrap(other, lookup: first.subjectRef), key: other), forLookup: first.subjectRef,
                generation: cache.entry(forLookup: first.subjectRef).generation)
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "b", subjectID: subject, requestHash: "b"))
            let entries = try await Self.decisions(fixture)
            #expect(entries.count == 2 && entries[1].subjectRef == entries[0].subjectRef)
            // The second entry's facts open under the stored key, as every entry's must.
            let audit = AuditStore(database: fixture.database)
            guard case .open = try await audit.facts(of: entries[1], keyring: fixture.keyring) else {
                throw TestFailure("the facts do not open under the stored key")
            }
            // And the cache holds the stored key again.
            let stored = try await fixture.database.writer.read { db in
                try Data.fetchOne(db, sql: "SELECT wrapped FROM subject_key WHERE lookup = ?", arguments: [StoredLookup(first.subjectRef)])
            }
            #expect(cache.entry(forLookup: first.subjectRef).entry.map { Data($0.wrapped) } == stored)
        }
    }

    @Test func whatAWriteLearnedBeforeAnErasureIsNotKept() {
        let cache = SubjectKeyCache(capacity: 2)
        let key = SubjectKey.random()
        let generation = cache.entry(forLookup: "s").generation
        cache.forget(lookup: "erased-meanwhile")
        cache.remember(.init(wrapped: [1], key: key), forLookup: "s", generation: generation)
        #expect(!cache.contains(lookup: "s"))
        // Bounded: a third subject makes room.
        for lookup in ["a", "b", "c"] {
            cache.remember(.init(wrapped: [2], key: key), forLookup: lookup, generation: cache.entry(forLookup: lookup).generation)
        }
        #expect(cache.count == 2 && cache.contains(lookup: "c"))
    }
}
