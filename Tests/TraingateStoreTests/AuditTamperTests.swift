import Foundation
import GRDB
import StrictDocuments
import Testing
@testable import TraingateStore

/// Someone with write access to the SQLite file edits the log behind the service's back. Each
/// edit must be caught by verification; the last two only against an anchored head.
@Suite struct AuditTamperTests {
    /// Ten real entries, the head anchored at seq 10, then `tamper` run on a raw connection with
    /// the append-only triggers dropped. Returns verification with and without the anchors.
    private func verifyAfter(
        _ tamper: @escaping @Sendable (Database) throws -> Void
    ) async throws -> (plain: AuditVerification, anchored: AuditVerification) {
        try await StoreFixture.withStore { fixture in
            for index in 0..<10 {
                _ = try await fixture.store.record(StoreFixture.submission(imageID: "t-\(index)", subjectID: "s\(index % 3)"))
            }
            let audit = AuditStore(database: fixture.database)
            #expect(try await audit.anchorHead(at: Timestamp.parse("2026-11-28T12:00:00Z")!)?.seq == 10)
            #expect(try await audit.verify().ok)

            // An attacker's connection: no foreign-key enforcement (SQLite's default).
            var configuration = Configuration()
            configuration.foreignKeysEnabled = false
            let raw = try DatabaseQueue(path: fixture.database.path, configuration: configuration)
            try await raw.write { db in
                try db.execute(sql: "DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_delete")
                try tamper(db)
            }
            try raw.close()
            let plain = try await fixture.database.writer.read { db in try AuditLog.verify(in: db) }
            return (plain, try await audit.verify())
        }
    }

    /// Recomputes the chain from `seq` to the end, as a careful forger would, starting from the
    /// entry before it or from `start` when given.
    /// It writes what traingate writes: hashes as bytes, and a `prev_hash` only where it is not
    /// the hash of the entry before (the forged start).
    static func rechain(from seq: Int64, start: String? = nil, in db: Database) throws {
        var head = try Row.fetchOne(db, sql: "SELECT seq, lower(hex(hash)) FROM audit_entry WHERE seq = ?", arguments: [seq - 1])
            .map { (seq: $0[0] as Int64, hash: start ?? ($0[1] as String)) }
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(CompactColumns.auditEntry) FROM audit_entry e WHERE e.seq >= ? ORDER BY e.seq", arguments: [seq])
        for row in rows {
            let entry = AuditChain.entry(after: head, content: try #require(AuditLog.entry(from: row)).content)
            let forgedLink = entry.seq == seq && start != nil
            try db.execute(
                sql: "UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?",
                arguments: [forgedLink ? bytes(entry.prevHash) : nil, bytes(entry.hash), entry.seq])
            head = (entry.seq, entry.hash)
        }
    }

    static func bytes(_ hex: String) -> Data { Data(Hex.decode(hex)!) }

    @Test func changingAFieldIsCaughtAtThatEntry() async throws {
        let result = try await verifyAfter { db in
            try db.execute(sql: "UPDATE audit_entry SET decision = 'rejected', reason_codes = '[\"OPTED_OUT\"]' WHERE seq = 4")
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 4)
        #expect(result.plain.entries == 3)
        #expect(!result.anchored.ok && result.anchored.firstBadSeq == 4)
    }

    @Test func changingTheSealedFactsIsCaught() async throws {
        let result = try await verifyAfter { db in
            try db.execute(sql: "UPDATE audit_entry SET sealed = zeroblob(length(sealed)) WHERE seq = 6")
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 6)
    }

    /// Edits that keep a value's text but change its SQLite type or emptiness, and values no
    /// conversion accepts: each is caught at its entry by both the fast and the careful check,
    /// and none of them may crash the verifier.
    @Test(arguments: [
        "UPDATE audit_entry SET admission_id = CAST(admission_id AS BLOB) WHERE seq = 5",
        "UPDATE audit_entry SET details = '' WHERE seq = 5",
        "UPDATE audit_entry SET sealed = CAST(sealed AS TEXT) WHERE seq = 5",
        "UPDATE audit_entry SET sealed = 1 WHERE seq = 5",
        "UPDATE audit_entry SET v = 'x' WHERE seq = 5",
        "UPDATE audit_entry SET at = X'FF' WHERE seq = 5",
        "UPDATE audit_entry SET hash = CAST(hash AS TEXT) WHERE seq = 5",
        "UPDATE audit_entry SET subject_ref = CAST(subject_ref AS TEXT) WHERE seq = 5",
        "UPDATE audit_entry SET prev_hash = CAST(zeroblob(32) AS TEXT) WHERE seq = 5",
    ])
    func changingAColumnsTypeIsCaughtAtThatEntry(edit: String) async throws {
        let result = try await verifyAfter { db in try db.execute(sql: edit) }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 5)
        #expect(!result.anchored.ok && result.anchored.firstBadSeq == 5)
    }

    @Test func deletingAnEntryIsCaughtWhereTheGapIs() async throws {
        let result = try await verifyAfter { db in try db.execute(sql: "DELETE FROM audit_entry WHERE seq = 5") }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 5)
        #expect(result.plain.problem?.contains("missing") == true)
    }

    @Test func swappingTwoEntriesIsCaught() async throws {
        let result = try await verifyAfter { db in
            // Every column but seq changes places between seq 4 and seq 5.
            try db.execute(
                sql: """
                    UPDATE audit_entry SET seq = 104 WHERE seq = 4;
                    UPDATE audit_entry SET seq = 4 WHERE seq = 5;
                    UPDATE audit_entry SET seq = 5 WHERE seq = 104;
                    """)
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 4)
    }

    @Test func insertingAnEntryIsCaughtAtTheEntryAfterIt() async throws {
        let result = try await verifyAfter { db in
            // Make room at seq 6, then forge a well-linked entry there.
            try db.execute(sql: "UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= 6")
            try db.execute(sql: "UPDATE audit_entry SET seq = seq - 999 WHERE seq >= 1006")
            let previous = try String.fetchOne(db, sql: "SELECT lower(hex(hash)) FROM audit_entry WHERE seq = 5")!
            let forged = AuditChain.entry(
                after: (5, previous), content: .init(seq: 6, at: "2026-11-28T12:00:00Z", kind: .decision, decision: "admitted"))
            try db.execute(
                sql:
                    "INSERT INTO audit_entry (seq, v, at, kind, decision, reason_codes, hash) VALUES (?, 2, ?, 'decision', 'admitted', '[]', ?)",
                arguments: [forged.seq, forged.at, Self.bytes(forged.hash)])
        }
        #expect(!result.plain.ok && result.plain.firstBadSeq == 7)
        #expect(result.plain.entries == 6)  // the forged entry itself links
    }

    @Test func truncatingTheTailIsCaughtOnlyAgainstTheAnchor() async throws {
        let result = try await verifyAfter { db in try db.execute(sql: "DELETE FROM audit_entry WHERE seq > 8") }
        #expect(result.plain.ok && result.plain.entries == 8)  // a shorter chain is still a chain
        #expect(!result.anchored.ok && result.anchored.firstBadSeq == 9)
        #expect(result.anchored.problem?.contains("entries were removed") == true)
    }

    @Test func rewritingTheTailWithRecomputedHashesIsCaughtOnlyAgainstTheAnchor() async throws {
        let result = try await verifyAfter { db in
            try db.execute(sql: "UPDATE audit_entry SET decision = 'rejected', reason_codes = '[\"OPTED_OUT\"]' WHERE seq = 8")
            try Self.rechain(from: 8, in: db)
        }
        #expect(result.plain.ok && result.plain.entries == 10)
        #expect(!result.anchored.ok && result.anchored.firstBadSeq == 10)
        #expect(result.anchored.problem?.contains("rewritten") == true)
    }

    @Test func anchorsAccumulateAndAnUnchangedHeadIsNotAnchoredTwice() async throws {
        try await StoreFixture.withStore { fixture in
            let audit = AuditStore(database: fixture.database)
            #expect(try await audit.anchorHead(at: Timestamp.parse("2026-11-28T12:00:00Z")!) == nil)  // empty log
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "a"))
            #expect(try await audit.anchorHead(at: Timestamp.parse("2026-11-28T12:00:01Z")!)?.seq == 1)
            #expect(try await audit.anchorHead(at: Timestamp.parse("2026-11-28T12:00:02Z")!) == nil)
            _ = try await fixture.store.record(StoreFixture.submission(imageID: "b"))
            #expect(try await audit.anchorHead(at: Timestamp.parse("2026-11-28T12:00:03Z")!)?.seq == 2)
            #expect(try audit.anchorFile.anchors().map(\.seq) == [1, 2])
            let verification = try await audit.verify()
            #expect(verification.ok && verification.anchorsChecked == 2)
        }
    }
}

/// The anchor file outlives crashes and careless edits: a line torn by a crash mid-append is
/// skipped and the next anchor starts a line of its own; a line that is not an anchor is named.
@Suite struct AuditAnchorFileTests {
    private func withFile(_ contents: String, _ body: (AuditAnchorFile) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anchors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = AuditAnchorFile(directory: directory)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file.path))
        try body(file)
    }

    private static let first = #"{"at":"2026-11-28T12:00:00Z","hash":"\#(String(repeating: "a", count: 64))","seq":3}"#

    @Test func aTornLastLineIsSkippedAndTheNextAnchorStartsANewLine() throws {
        try withFile(Self.first + "\n" + #"{"at":"2026-11-28T12:00:10Z","ha"#) { file in
            #expect(try file.anchors().map(\.seq) == [3])
            try file.append(.init(seq: 9, hash: String(repeating: "b", count: 64), at: "2026-11-28T12:00:20Z"))
            #expect(try file.anchors().map(\.seq) == [3, 9])
        }
    }

    @Test(arguments: [
        #"{"at":"2026-11-28T12:00:10Z","hash":"bb","seq":1e30}"#, #"{"at":"x","hash":"bb","seq":0.5}"#,
        #"{"at":"x","hash":"bb","seq":-4}"#, #"{"at":"x","hash":"bb"}"#, #"{"at":"x","hash":"bb","seq":4},}"#,
    ])
    func aLineThatIsNotAnAnchorIsNamed(line: String) throws {
        try withFile(Self.first + "\n" + line + "\n") { file in
            #expect { try file.anchors() } throws: { error in "\(error)".contains("line 2 is not an anchor") }
        }
    }
}

/// The quick check of an intact log (two halves read in parallel) must never call a broken one
/// intact, even where the halves meet.
@Suite struct AuditFastVerificationTests {
    private static let count = Int(AuditStore.parallelThreshold) + 1_001

    private func withLargeLog(_ body: @Sendable (AuditStore, AppDatabase) async throws -> Void) async throws {
        try await StoreFixture.withStore { fixture in
            let audit = AuditStore(database: fixture.database)
            let records = (0..<Self.count).map { index in
                AuditRecord(
                    kind: .decision, at: "2026-11-28T12:00:00Z", admissionID: "adm_\(index)", decision: "admitted",
                    subjectRef: String(repeating: "ab", count: 32), sealed: Array(repeating: UInt8(index & 0xFF), count: 50))
            }
            try await audit.append(contentsOf: records)
            try await body(audit, fixture.database)
        }
    }

    @Test func aLargeIntactLogVerifiesThroughBothHalves() async throws {
        try await withLargeLog { audit, database in
            let quick = try await audit.verify()
            let thorough = try await database.writer.read { db in try AuditLog.verify(in: db) }
            #expect(quick.ok && thorough.ok)
            #expect(quick.entries == Self.count && thorough.entries == Self.count)
            #expect(quick.head?.hash == thorough.head?.hash)
        }
    }

    @Test func aForgedLinkWhereTheHalvesMeetIsCaught() async throws {
        try await withLargeLog { audit, database in
            let boundary = Int64(Self.count) / 2 + 1  // the first entry of the second half
            // The forger rechains the whole second half from a wrong starting hash: each half is
            // consistent on its own, only the link between them is broken.
            try await database.writer.write { db in
                try db.execute(sql: "DROP TRIGGER audit_entry_no_update")
                try AuditTamperTests.rechain(from: boundary, start: String(repeating: "1", count: 64), in: db)
            }
            let result = try await audit.verify()
            #expect(!result.ok)
            #expect(result.firstBadSeq == boundary)
        }
    }
}
