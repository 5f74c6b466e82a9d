import Foundation
import GRDB
import Testing
@testable import TraingateStore

@Suite struct MigrationTests {
    /// A database a newer version migrated is refused, naming its unknown migrations, and is
    /// left as it was (no migration runs: the schema and the applied migrations are unchanged).
    @Test func aDatabaseFromANewerVersionIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-downgrade-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory)
        try await database.writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        try database.close()
        func state() throws -> [String] {
            let queue = try DatabaseQueue(path: directory.appendingPathComponent(AppDatabase.fileName).path)
            defer { try? queue.close() }
            return try queue.read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                    + String.fetchAll(db, sql: "SELECT coalesce(sql, name) FROM sqlite_master ORDER BY name")
            }
        }
        let before = try state()
        #expect {
            _ = try AppDatabase.open(directory: directory)
        } throws: { error in
            guard let error = error as? StoreError, error.code == .newerSchema else { return false }
            return error.description.contains("v99-from-the-future") && error.description.contains("downgrades are refused")
        }
        #expect(try state() == before)
    }

    /// A database created by the first schema keeps its audit log, intact and append-only,
    /// through the later migrations.
    @Test func anExistingLogSurvivesTheAuditTableRebuild() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-migrate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(AppDatabase.fileName).path
        let old = try DatabasePool(path: path)
        try AppDatabase.migrator.migrate(old, upTo: "v1-gate-core")
        try await old.write { db in
            var head: (seq: Int64, hash: String)?
            for seq in Int64(1)...3 {
                let entry = AuditChain.entry(after: head, content: .init(version: 1, seq: seq, at: "2026-11-28T12:00:00Z", kind: .decision))
                try db.execute(
                    sql: "INSERT INTO audit_entry (seq, at, kind, reason_codes, prev_hash, hash) VALUES (?, ?, ?, '[]', ?, ?)",
                    arguments: [entry.seq, entry.at, entry.kind.rawValue, entry.prevHash, entry.hash])
                head = (entry.seq, entry.hash)
            }
        }
        try old.close()

        let database = try AppDatabase.open(directory: directory)
        #expect(try await database.isMigrated())
        // Version 1 entries keep verifying, and version 2 entries chain on after them.
        let appended = try await AuditStore(database: database).append(
            AuditRecord(kind: .policyChange, at: "2026-11-28T13:00:00Z", policyVersion: "sha256:00", details: .object(["policy_id": .string("p")])))
        #expect(appended.seq == 4 && appended.version == 2)
        let verification = try await AuditStore(database: database).verify()
        #expect(verification.ok && verification.entries == 4)
        let hashIndexes = try await database.writer.read { db in
            try db.indexes(on: "audit_entry").filter { $0.columns == ["hash"] }.count
        }
        #expect(hashIndexes == 0)
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in try db.execute(sql: "DELETE FROM audit_entry WHERE seq = 3") }
        }
    }
}
