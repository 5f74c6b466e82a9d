import Foundation
import PostgresTesting
import StrictDocuments
import Testing
@testable import TraingateStore

/// `AuditTamperTests` on PostgreSQL: the database's owner disables the append-only triggers and
/// edits the log behind the service's back. Each edit is caught by verification, at the entry
/// it touched; the careful forger who also moves the chain's head row is caught only against
/// an anchored head, as on SQLite.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresAuditTamperTests {
    /// Ten decisions, the head anchored at seq 10, then `tamper` run with the triggers disabled
    /// and the decisions' foreign key to their entries dropped.
    /// Returns verification without the anchors and with them.
    private func verifyAfter(
        _ tamper: @escaping @Sendable (BackendFixture) async throws -> Void
    ) async throws -> (plain: AuditVerification, anchored: AuditVerification) {
        try await BackendFixture.with(.postgres) { fixture in
            for index in 0..<10 {
                _ = try await fixture.store.record(StoreFixture.submission(imageID: "t-\(index)", subjectID: "s\(index % 3)"))
            }
            #expect(try await fixture.audit.anchorHead(at: Timestamp.parse("2026-11-28T12:00:00Z")!)?.seq == 10)
            #expect(try await fixture.audit.verify().ok)
            try await fixture.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER")
            try await fixture.execute("ALTER TABLE admission DROP CONSTRAINT admission_audit_seq_fkey")
            try await tamper(fixture)
            return (try await fixture.verify(), try await fixture.audit.verify())
        }
    }

    /// Recomputes the chain from `seq` to the end, as a careful forger would, and moves the
    /// head row to the forged end.
    private static func rechain(from seq: Int64, in fixture: BackendFixture) async throws {
        let entries = try await fixture.entries()
        var head = entries.first { $0.seq == seq - 1 }.map { (seq: $0.seq, hash: $0.hash) }
        for stored in entries where stored.seq >= seq {
            let entry = AuditChain.entry(after: head, content: stored.content)
            try await fixture.execute("UPDATE audit_entry SET prev_hash = NULL, hash = '\\x\(entry.hash)' WHERE seq = \(entry.seq)")
            head = (entry.seq, entry.hash)
        }
        if let head { try await fixture.execute("UPDATE audit_head SET seq = \(head.seq), hash = '\\x\(head.hash)'") }
    }

    @Test func changingAFieldIsCaughtAtThatEntry() async throws {
        let result = try await verifyAfter {
            try await $0.execute("UPDATE audit_entry SET decision = 'rejected', reason_codes = '[\"OPTED_OUT\"]' WHERE seq = 4")
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 4 && result.plain.entries == 3)
        #expect(!result.anchored.ok && result.anchored.firstBadSeq == 4)
    }

    @Test func changingTheSealedFactsIsCaught() async throws {
        let result = try await verifyAfter {
            try await $0.execute("UPDATE audit_entry SET sealed = '\\x00'::bytea || substring(sealed from 2) WHERE seq = 6")
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 6)
    }

    /// Values traingate never writes: each is caught at its entry, and none crashes the verifier.
    @Test(arguments: [
        "UPDATE audit_entry SET reason_codes = 'not json' WHERE seq = 5",
        "UPDATE audit_entry SET details = '' WHERE seq = 5",
        "UPDATE audit_entry SET kind = 'confession' WHERE seq = 5",
        "UPDATE audit_entry SET hash = '\\x00' WHERE seq = 5",
        "UPDATE audit_entry SET subject_ref = '\\x01' WHERE seq = 5",
        "UPDATE audit_entry SET prev_hash = decode(repeat('00', 32), 'hex') WHERE seq = 5",
        "UPDATE audit_entry SET v = 99 WHERE seq = 5",
        "UPDATE audit_entry SET at = '' WHERE seq = 5",
    ])
    func anUndecodableOrForeignValueIsCaughtAtThatEntry(edit: String) async throws {
        let result = try await verifyAfter { try await $0.execute(edit) }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 5, "\(result.plain)")
        #expect(!result.anchored.ok && result.anchored.firstBadSeq == 5)
    }

    @Test func deletingAnEntryIsCaughtWhereTheGapIs() async throws {
        let result = try await verifyAfter { try await $0.execute("DELETE FROM audit_entry WHERE seq = 5") }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 5)
        #expect(result.plain.problem?.contains("missing") == true, "\(result.plain)")
    }

    @Test func swappingTwoEntriesIsCaught() async throws {
        let result = try await verifyAfter { fixture in
            // Every column but seq changes places between seq 4 and seq 5.
            for edit in ["seq = 104 WHERE seq = 4", "seq = 4 WHERE seq = 5", "seq = 5 WHERE seq = 104"] {
                try await fixture.execute("UPDATE audit_entry SET \(edit)")
            }
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 4)
    }

    @Test func insertingAnEntryIsCaughtAtTheEntryAfterIt() async throws {
        let result = try await verifyAfter { fixture in
            // Make room at seq 6, then forge a well-linked entry there.
            try await fixture.execute("UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= 6")
            try await fixture.execute("UPDATE audit_entry SET seq = seq - 999 WHERE seq >= 1006")
            let previous = try #require(try await fixture.entries().first { $0.seq == 5 }?.hash)
            let forged = AuditChain.entry(
                after: (5, previous), content: .init(seq: 6, at: "2026-11-28T12:00:00Z", kind: .decision, decision: "admitted"))
            try await fixture.execute(
                "INSERT INTO audit_entry (seq, v, at, kind, decision, reason_codes, hash) VALUES (6, 2, '\(forged.at)', 'decision', 'admitted', '[]', '\\x\(forged.hash)')"
            )
            try await fixture.execute("UPDATE audit_head SET seq = 11")
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 7)
        #expect(result.plain.entries == 6)  // the forged entry itself links
    }

    /// Unlike SQLite's, PostgreSQL's chain has a head row: removing the newest entries is found
    /// without an anchor, unless the head is moved back too.
    @Test func truncatingTheTailIsCaughtByTheHeadRowAndAMovedHeadOnlyAgainstTheAnchor() async throws {
        let truncated = try await verifyAfter { try await $0.execute("DELETE FROM audit_entry WHERE seq > 8") }
        #expect(!truncated.plain.ok && truncated.plain.firstBadSeq == 9)
        let moved = try await verifyAfter { fixture in
            try await fixture.execute("DELETE FROM audit_entry WHERE seq > 8")
            try await fixture.execute("UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_entry WHERE seq = 8)")
        }
        #expect(moved.plain.ok && moved.plain.entries == 8)
        #expect(!moved.anchored.ok && moved.anchored.firstBadSeq == 9)
        #expect(moved.anchored.problem?.contains("entries were removed") == true, "\(moved.anchored)")
    }

    @Test func rewritingTheTailWithRecomputedHashesIsCaughtOnlyAgainstTheAnchor() async throws {
        let result = try await verifyAfter { fixture in
            try await fixture.execute("UPDATE audit_entry SET decision = 'rejected', reason_codes = '[\"OPTED_OUT\"]' WHERE seq = 8")
            try await Self.rechain(from: 8, in: fixture)
        }
        #expect(result.plain.ok && result.plain.entries == 10, "\(result.plain)")
        #expect(!result.anchored.ok && result.anchored.firstBadSeq == 10)
        #expect(result.anchored.problem?.contains("rewritten") == true)
    }
}
