import PostgresTesting
import Foundation
import GRDB
import PostgresNIO
@testable import TraingatePostgres
@testable import TraingateStore

/// A store on either backend, with what the suites that run against both need to look inside
/// it: the audit log, row counts, and a few ways to stage a case (an objection, a failing table).
struct BackendFixture {
    let store: any AdmissionRecording
    let audit: any AuditLogStore
    let keys: any APIKeyStoring
    let training: any TrainingJobStore
    let embeddings: any EmbeddingReading
    let rights: any SubjectRightsHandling
    let manifest: any ManifestReading
    let admissibility: any AdmissibilityChecking
    let entries: @Sendable () async throws -> [AuditEntry]
    let verify: @Sendable () async throws -> AuditVerification
    let count: @Sendable (_ table: String) async throws -> Int
    let committedTransactions: @Sendable () -> Int
    /// Registers an objection for a subject by its lookup pseudonym.
    let registerObjection: @Sendable (_ lookup: String) async throws -> Void
    /// Makes every insert into `table` fail, as a full disk would.
    let failInserts: @Sendable (_ table: String) async throws -> Void
    /// Deletes a subject's key (what erasure does to shred its entries).
    let shredKey: @Sendable (_ lookup: String) async throws -> Void
    /// Runs SQL as the database's owner would, behind the service's back.
    let execute: @Sendable (_ sql: String) async throws -> Void
    /// Jobs submitted to the group committer and not yet taken into a group.
    let pendingJobs: @Sendable () -> Int
    /// Runs `body` while no group can write (SQLite's writer, or PostgreSQL's chain head, held
    /// by the test), so that what `body` submits waits and is then committed together. Returns
    /// the transactions the hold itself committed.
    let holdingWrites: @Sendable (_ body: @Sendable () async throws -> Void) async throws -> Int

    static func with<T: Sendable>(_ backend: StoreBackend, _ body: (BackendFixture) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite: try await StoreFixture.withStore { try await body(sqlite($0)) }
        case .postgres: try await PostgresTestDatabase.with { try await withPostgres($0, body) }
        }
    }

    private static func sqlite(_ fixture: StoreFixture) -> BackendFixture {
        let writer = fixture.database.writer
        return BackendFixture(
            store: fixture.store, audit: AuditStore(database: fixture.database), keys: APIKeyStore(database: fixture.database),
            training: TrainingStore(database: fixture.database), embeddings: EmbeddingStore(database: fixture.database),
            rights: SubjectRightsStore(database: fixture.database, keyring: StoreFixture.keyring),
            manifest: TrainingManifest(database: fixture.database), admissibility: AdmissibilityCheck(database: fixture.database),
            entries: { try await AuditStore(database: fixture.database).entries() },
            verify: { try await AuditStore(database: fixture.database).verify() },
            count: { table in try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! } },
            committedTransactions: { fixture.committer.committedTransactions },
            registerObjection: { lookup in
                try await writer.write { db in
                    try db.execute(
                        sql: "INSERT INTO objection (subject_ref, registered_at) VALUES (?, '2026-01-01T00:00:00Z')",
                        arguments: [StoredLookup(lookup)])
                }
            },
            failInserts: { table in
                try await writer.write { db in
                    try db.execute(sql: "CREATE TRIGGER fail_\(table) BEFORE INSERT ON \(table) BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
                }
            },
            shredKey: { lookup in
                try await writer.write { db in
                    try db.execute(sql: "DELETE FROM subject_key WHERE lookup = ?", arguments: [StoredLookup(lookup)])
                }
            },
            execute: { sql in try await writer.write { db in try db.execute(sql: sql) } },
            pendingJobs: { fixture.committer.pendingJobs },
            holdingWrites: { body in
                // A job that blocks the writer: it is a group of its own, and what is submitted
                // meanwhile waits for the next. It waits on the writer's thread, not Swift's pool.
                let (held, released) = (Latch(), DispatchSemaphore(value: 0))
                let holder = Task {
                    try await fixture.committer.submit { _ in
                        held.raise(); released.wait()
                    }
                }
                defer { released.signal() }
                try await Eventually.wait("the writer held") { held.isRaised }
                try await body()
                released.signal()
                try await holder.value
                return 1
            })
    }

    private static func withPostgres<T>(_ database: PostgresStore, _ body: (BackendFixture) async throws -> T) async throws -> T {
        let store = PostgresAdmissionStore(store: database, keyring: StoreFixture.keyring)
        let writer = PostgresAuditWriter(store: database)
        let anchors = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-anchors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: anchors, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: anchors) }
        let logger = database.logger
        let fixture = BackendFixture(
            store: store, audit: PostgresAuditStore(store: database, writer: writer, anchorDirectory: anchors),
            keys: PostgresAPIKeyStore(store: database), training: PostgresTrainingStore(store: database, keyring: StoreFixture.keyring),
            embeddings: PostgresEmbeddingStore(store: database),
            rights: PostgresSubjectRightsStore(store: database, keyring: StoreFixture.keyring),
            manifest: PostgresTrainingManifest(store: database, keyring: StoreFixture.keyring),
            admissibility: PostgresAdmissibilityCheck(store: database),
            entries: { try await PostgresAuditLog(database: database).entries(after: 0, limit: 100_000) },
            verify: { try await PostgresAuditLog(database: database).verify() },
            count: { table in
                Int(
                    try await database.openClient().query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: logger)
                        .collect()[0].decode(Int64.self))
            },
            committedTransactions: { store.committer.committedTransactions },
            registerObjection: { lookup in
                var binds = PostgresBindings()
                binds.append(try PostgresBytes.hex(lookup, field: "lookup"))
                try await database.openClient().query(
                    PostgresQuery(unsafeSQL: "INSERT INTO objection (subject_ref, registered_at) VALUES ($1, '2026-01-01T00:00:00Z')", binds: binds),
                    logger: logger)
            },
            failInserts: { table in
                let client = try database.openClient()
                try await client.query(
                    "CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$",
                    logger: logger)
                try await client.query(
                    PostgresQuery(unsafeSQL: "CREATE TRIGGER fail_\(table) BEFORE INSERT ON \(table) FOR EACH ROW EXECUTE FUNCTION fail_insert()"),
                    logger: logger)
            },
            shredKey: { lookup in
                var binds = PostgresBindings()
                binds.append(try PostgresBytes.hex(lookup, field: "lookup"))
                try await database.openClient().query(
                    PostgresQuery(unsafeSQL: "DELETE FROM subject_key WHERE lookup = $1", binds: binds), logger: logger)
            },
            execute: { sql in try await database.openClient().query(PostgresQuery(unsafeSQL: sql), logger: logger) },
            pendingJobs: { store.committer.pendingJobs },
            holdingWrites: { body in
                // The chain head locked by the test: the group of the first job submitted
                // meanwhile waits for it, and forms (with every job then waiting) once it has it.
                let (held, released) = (Latch(), Latch())
                let lock = Task {
                    try await database.transaction { connection in
                        _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
                        held.raise()
                        while !released.isRaised { try await Task.sleep(for: .milliseconds(5)) }
                    }
                }
                defer { released.raise() }
                try await Eventually.wait("the chain head held") { held.isRaised }
                try await body()
                released.raise()
                try await lock.value
                return 0
            })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.committer.run() }
            group.addTask { try await writer.run() }
            defer { group.cancelAll() }
            return try await body(fixture)
        }
    }
}
