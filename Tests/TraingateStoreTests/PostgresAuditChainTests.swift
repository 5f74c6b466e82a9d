import PostgresTesting
import Foundation
import GRDB
import PostgresNIO
import StrictDocuments
import Testing
@testable import TraingatePostgres
@testable import TraingateStore

/// The audit chain on PostgreSQL: the same entries as on SQLite, one chain under several
/// writers, and edits found.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresAuditChainTests {
    /// Records of every shape: decisions with a pseudonym, sealed facts and details, under two
    /// policy versions, and entries with no admission, decision or policy at all.
    static func records(_ count: Int) -> [AuditRecord] {
        (0..<count).map { index in
            let at = "2026-12-06T10:00:\(String(format: "%02d", index % 60)).\(index % 10)Z"
            guard index % 4 != 3 else {
                return AuditRecord(kind: .erasure, at: at, details: .object(["removed": .integer(index)]))
            }
            return AuditRecord(
                kind: .decision, at: at, admissionID: "adm_\(index)", decision: index % 2 == 0 ? "admitted" : "rejected",
                reasonCodes: index % 2 == 0 ? [] : ["VISIBILITY_NOT_PUBLIC", "RESIDENCY_RESTRICTED"],
                policyVersion: "sha256:policy-\(index % 3 == 0 ? "a" : "b")",
                subjectRef: Hex.encode(Array(SHA256Digest.of(Array("subject-\(index % 5)".utf8)))),
                sealed: Array(repeating: UInt8(index % 256), count: 40), details: index % 5 == 0 ? .object(["api_key": .string("ingest")]) : nil)
        }
    }

    /// Appended on each backend, the same records give the same entries: the same seq, bytes
    /// and hashes, so one verifier and one format serve both.
    @Test func theSameRecordsMakeTheSameChainOnBothBackends() async throws {
        let records = Self.records(40)
        let onSQLite = try await StoreFixture.withStore { fixture in
            try await fixture.database.writer.write { db in try records.map { try AuditLog.append($0, in: db) } }
        }
        try await PostgresTestDatabase.with { database in
            let writer = PostgresAuditWriter(store: database)
            let onPostgres = try await Self.withWriter(writer) { writer in
                var entries: [AuditEntry] = []
                for record in records { entries.append(try await writer.append(record)) }
                return entries
            }
            #expect(onPostgres == onSQLite)
            // Read back from the tables, each entry is what the append handed back.
            #expect(try await PostgresAuditLog(database: database).entries(after: 0, limit: 100) == onSQLite)
            let verdict = try await PostgresAuditLog(database: database).verify()
            #expect(verdict.ok && verdict.entries == 40 && verdict.head?.hash == onSQLite.last?.hash)
        }
    }

    /// Three instances (clients of their own) append concurrently to one database: every entry
    /// acknowledged is in the chain exactly once, seq 1...n with no gap, the chain verifies,
    /// and appends were grouped (fewer transactions than entries).
    @Test func threeInstancesKeepOneChain() async throws {
        let perInstance = 300
        try await PostgresTestDatabase.withURL { url in
            // Each instance runs to its end, a failed one included: cancelling the others would
            // stop their clients under their in-flight transactions.
            let outcomes = await withTaskGroup(of: Result<(entries: [AuditEntry], transactions: Int), any Error>.self) { instances in
                for instance in 0..<3 {
                    instances.addTask {
                        await Result(catching: {
                            try await PostgresTestDatabase.running(url: url) { database in
                                try await Self.withWriter(PostgresAuditWriter(store: database)) { writer in
                                    let results = await withTaskGroup(of: Result<AuditEntry, any Error>.self) { submitters in
                                        for index in 0..<perInstance {
                                            submitters.addTask {
                                                await Result(catching: {
                                                    try await writer.append(
                                                        AuditRecord(
                                                            kind: .decision, at: "2026-12-06T10:00:00Z", admissionID: "adm_\(instance)_\(index)"))
                                                })
                                            }
                                        }
                                        return await submitters.reduce(into: []) { $0.append($1) }
                                    }
                                    return (try results.map { try $0.get() }, writer.committedTransactions)
                                }
                            }
                        })
                    }
                }
                return await instances.reduce(into: []) { $0.append($1) }
            }
            let acknowledged = try outcomes.map { try $0.get() }
            let entries = acknowledged.flatMap(\.entries)
            #expect(entries.map(\.seq).sorted() == Array(1...Int64(3 * perInstance)))
            #expect(Set(entries.compactMap(\.admissionID)).count == 3 * perInstance)
            #expect(acknowledged.map(\.transactions).reduce(0, +) < 3 * perInstance)
            try await PostgresTestDatabase.running(url: url) { database in
                let log = PostgresAuditLog(database: database)
                let verdict = try await log.verify()
                #expect(verdict.ok && verdict.entries == 3 * perInstance)
                // What each instance was told is what the chain holds.
                let stored = try await log.entries(after: 0, limit: 3 * perInstance)
                #expect(Set(stored) == Set(entries))
            }
        }
    }

    /// The tables refuse edits; an edit made anyway (triggers disabled by the owner) is found at
    /// its entry, and removing the newest entries is found against the chain's head row.
    @Test func editsAreRefusedAndThoseForcedThroughAreFound() async throws {
        try await PostgresTestDatabase.with { database in
            try await Self.withWriter(PostgresAuditWriter(store: database)) { writer in
                for record in Self.records(12) { _ = try await writer.append(record) }
            }
            let client = try database.openClient()
            let logger = PostgresTestDatabase.logger
            for statement in [
                "UPDATE audit_entry SET decision = 'admitted' WHERE seq = 2", "DELETE FROM audit_entry WHERE seq = 12", "TRUNCATE audit_entry",
            ] {
                await #expect(throws: PSQLError.self) { try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
            }
            try await client.query("ALTER TABLE audit_entry DISABLE TRIGGER USER", logger: logger)
            try await client.query("DELETE FROM audit_entry WHERE seq >= 11", logger: logger)
            let truncated = try await PostgresAuditLog(database: database).verify()
            #expect(!truncated.ok && truncated.firstBadSeq == 11 && truncated.entries == 10)
            try await client.query("UPDATE audit_entry SET decision = 'admitted' WHERE seq = 2", logger: logger)
            let edited = try await PostgresAuditLog(database: database).verify()
            #expect(!edited.ok && edited.firstBadSeq == 2 && edited.problem == "the fields do not hash to the stored hash")
        }
    }

    /// Migrating again changes nothing; a database a newer version migrated is refused.
    @Test func migrationsRunOnceAndANewerSchemaIsRefused() async throws {
        try await PostgresTestDatabase.withURL { url in
            let first = try await PostgresTestDatabase.running(url: url) { try await $0.appliedMigrations() }
            #expect(first == PostgresMigrations.all.map(\.identifier))
            try await PostgresTestDatabase.running(url: url) { database in
                #expect(try await database.appliedMigrations() == first)
                try await database.openClient().query(
                    "INSERT INTO schema_migration (identifier) VALUES ('pg99-from-the-future')", logger: database.logger)
            }
            await #expect { try await PostgresTestDatabase.running(url: url) { _ in } } throws: { error in
                (error as? StoreError)?.code == .newerSchema && "\(error)".contains("pg99-from-the-future")
            }
        }
    }

    /// Runs `writer` for the duration of `body`, then stops it gracefully.
    static func withWriter<T: Sendable>(_ writer: PostgresAuditWriter, _ body: (PostgresAuditWriter) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            defer { group.cancelAll() }
            return try await body(writer)
        }
    }
}
