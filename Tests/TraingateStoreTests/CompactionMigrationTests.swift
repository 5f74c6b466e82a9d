import Foundation
import GRDB
import StrictDocuments
import Testing
@testable import TraingateStore

/// Migration v12 stores decisions compactly: a database written before it must read back, field
/// for field, as it did, and its chain must verify, or stay broken where it was broken.
@Suite struct CompactionMigrationTests {
    static let policy = "sha256:" + String(repeating: "ab", count: 32)
    /// Every decision's subject, who also objected and holds a key.
    static let lookup = String(repeating: "c", count: 64)

    /// A database at v11 holding `count` decisions (and their admission rows) written the way
    /// traingate wrote them then: hashes, pseudonyms and the request hash as hex text, the
    /// policy version and the audit hash and time copied into the admission row. Returns the
    /// entries as written.
    static func databaseBeforeCompaction(at directory: URL, count: Int64) throws -> [AuditEntry] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let old = try DatabasePool(path: directory.appendingPathComponent(AppDatabase.fileName).path)
        defer { try? old.close() }
        try AppDatabase.migrator.migrate(old, upTo: "v11-queue-item-image")
        return try old.write { db in
            var head: (seq: Int64, hash: String)?
            var entries: [AuditEntry] = []
            for seq in 1...count {
                let rejected = seq % 2 == 0
                let entry = AuditChain.entry(
                    after: head,
                    content: .init(
                        seq: seq, at: "2026-11-28T12:00:0\(seq % 10).250Z", kind: .decision, admissionID: "adm_\(seq)",
                        decision: rejected ? "rejected" : "admitted", reasonCodes: rejected ? ["VISIBILITY_NOT_PUBLIC"] : [],
                        policyVersion: policy, subjectRef: Hex.encode((0..<32).map { UInt8(truncatingIfNeeded: Int(seq) &* 31 &+ $0) }),
                        sealed: Array(repeating: UInt8(seq), count: 60), details: .object(["api_key": .string("pipeline")])))
                try db.execute(
                    sql: """
                        INSERT INTO audit_entry (seq, v, at, kind, admission_id, decision, reason_codes, policy_version, subject_ref,
                            sealed, details, prev_hash, hash) VALUES (?, 2, ?, 'decision', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        seq, entry.at, entry.admissionID, entry.decision, JSONText.encode(.array(entry.reasonCodes.map(JSONValue.string))),
                        entry.policyVersion, entry.subjectRef, Data(entry.sealed!), entry.details.map(JSONText.encode), entry.prevHash,
                        entry.hash,
                    ])
                let reasons =
                    rejected
                    ? #"[{"article":"GDPR Art. 6(1)","code":"VISIBILITY_NOT_PUBLIC","message":"not public","rule":"visibility"}]"# : "[]"
                try db.execute(
                    sql: """
                        INSERT INTO admission (id, source, image_id, subject_ref, request_hash, decision, reasons, jurisdictions,
                            signals, policy_id, policy_version, audit_seq, audit_hash, queued, decided_at, api_key)
                        VALUES (?, 'ig', ?, ?, ?, ?, ?, '[]', '[]', 'default', ?, ?, ?, 0, ?, 'pipeline')
                        """,
                    arguments: [
                        entry.admissionID, "img-\(seq)", lookup, Hex.encode(Array(repeating: UInt8(seq), count: 32)),
                        entry.decision, reasons, policy, seq, entry.hash, entry.at,
                    ])
                head = (entry.seq, entry.hash)
                entries.append(entry)
            }
            try db.execute(sql: "INSERT INTO objection (subject_ref, registered_at) VALUES (?, 'x')", arguments: [lookup])
            try db.execute(sql: "INSERT INTO subject_key (lookup, wrapped, created_at) VALUES (?, X'00', 'x')", arguments: [lookup])
            return entries
        }
    }

    @Test func decisionsReadBackAsTheyWereAndTheChainVerifies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-compact-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try Self.databaseBeforeCompaction(at: directory, count: 6)

        let database = try AppDatabase.open(directory: directory)
        let audit = AuditStore(database: database)
        #expect(try await audit.entries(AuditQuery(limit: 100)) == written)
        let verification = try await audit.verify()
        #expect(verification.ok && verification.entries == 6 && verification.head?.hash == written.last?.hash)
        let careful = try await database.writer.read { db in try AuditLog.verify(in: db) }
        #expect(careful.ok && careful.entries == 6)

        for entry in written {
            let admission = try #require(
                try await database.writer.read { db in
                    try Row.fetchOne(db, sql: StoredAdmission.selectSQL + " WHERE admission.id = ?", arguments: [entry.admissionID])
                        .map { try StoredAdmission(row: $0) }
                })
            #expect(admission.auditSeq == entry.seq && admission.auditHash == entry.hash && admission.decidedAt == entry.at)
            #expect(admission.policyVersion == Self.policy && admission.verdict.rawValue == entry.decision)
            #expect(admission.requestHash == Hex.encode(Array(repeating: UInt8(entry.seq), count: 32)))
            #expect(admission.reasons.map(\.code.rawValue) == entry.reasonCodes)
            #expect(admission.subjectRef == Self.lookup)
        }
        // The lookup pseudonym is the same bytes in admissions, objections and subject keys.
        let joined = try await database.writer.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM admission a JOIN objection o ON o.subject_ref = a.subject_ref
                    JOIN subject_key k ON k.lookup = a.subject_ref WHERE typeof(a.subject_ref) = 'blob'
                    """)
        }
        #expect(joined == 6)
        // Each policy version and reason list is kept once; the admissions refer to them.
        let (versions, lists) = try await database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM known_policy_version")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM reason_list")!)
        }
        #expect(versions == 1 && lists == 2)
        // New entries chain on after the migrated ones.
        let appended = try await audit.append(
            AuditRecord(kind: .policyChange, at: "2026-11-28T13:00:00Z", policyVersion: Self.policy, details: .object(["policy_id": .string("p")])))
        #expect(appended.prevHash == written.last?.hash)
        #expect(try await audit.verify().ok)
    }

    /// A link that was broken before the migration is kept as it was stored: verification still
    /// finds it, at the same entry and for the same reason.
    @Test func aBrokenLinkStaysBrokenThroughTheMigration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-compact-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.databaseBeforeCompaction(at: directory, count: 5)
        let raw = try DatabaseQueue(path: directory.appendingPathComponent(AppDatabase.fileName).path)
        try await raw.write { db in
            try db.execute(sql: "DROP TRIGGER audit_entry_no_update")
            try db.execute(sql: "UPDATE audit_entry SET prev_hash = ? WHERE seq = 4", arguments: [String(repeating: "1", count: 64)])
        }
        try raw.close()

        let database = try AppDatabase.open(directory: directory)
        let result = try await AuditStore(database: database).verify()
        #expect(!result.ok && result.firstBadSeq == 4 && result.entries == 3)
        #expect(result.problem?.contains("prev_hash") == true)
    }
}
