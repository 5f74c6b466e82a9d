import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TraingateStore

/// One traingate instance's connections to its PostgreSQL store. Several instances may share
/// the database: the schema is migrated under an advisory lock, and appends to the audit chain
/// serialise on its head row (`PostgresAuditWriter`).
///
/// Runs as a `Service`: the client's connections live while `run()` does, and every query
/// waits for it.
public final class PostgresStore: Service, Sendable {
    public let location: PostgresLocation
    private let client: PostgresClient
    let logger: Logger
    /// Set once the client begins to stop: postgres-nio queues a query made after that for a
    /// client that will never run again, so the store refuses it instead.
    private let stopping = Atomic<Bool>(false)
    /// Interned texts' ids known to be committed in this database.
    let committedTexts = PostgresCommittedTexts()

    /// Key of the advisory lock migrations run under (any instance starting at the same time
    /// waits for the first to finish).
    static let migrationLock: Int64 = 0x7472_6169_6E67_6174  // "traingat"

    /// - Parameter connections: the most connections this instance opens.
    /// - Parameter clientLogger: what the client logs on its own (connections made and lost); `logger` by default.
    public init(location: PostgresLocation, connections: Int = 8, logger: Logger, clientLogger: Logger? = nil) {
        self.location = location
        self.client = PostgresClient(
            configuration: location.clientConfiguration(connections: connections), backgroundLogger: clientLogger ?? logger)
        self.logger = logger
    }

    public func run() async {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await client.run()
            } onGracefulShutdown: {
                self.stopping.store(true, ordering: .relaxed)
            }
        } onCancel: {
            self.stopping.store(true, ordering: .relaxed)
        }
        stopping.store(true, ordering: .relaxed)
    }

    /// Runs `body` against a store whose client runs for `body`'s duration only: for a
    /// command (`traingate keys create`) or for the checks a server makes before it serves.
    public static func withRunning<T: Sendable>(
        location: PostgresLocation, connections: Int = 2, logger: Logger, _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        // The body's first query may come before the client runs, which postgres-nio warns of;
        // here that is expected, and a failure reaches the body as an error anyway.
        var quiet = logger
        quiet.logLevel = .error
        let store = PostgresStore(location: location, connections: connections, logger: logger, clientLogger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await store.run() }
            defer { tasks.cancelAll() }
            return try await body(store)
        }
    }

    /// The client, while it runs (or before it starts: queries made then wait for it).
    /// - Throws: `StoreError.unavailable` once it has begun to stop.
    func openClient() throws -> PostgresClient {
        guard !stopping.load(ordering: .relaxed) else { throw StoreError.unavailable }
        return client
    }

    /// Applies the migrations this database lacks, in order, in one transaction. A database a
    /// newer traingate migrated is refused, naming what this version does not know, before
    /// anything is written.
    public func migrate() async throws {
        try await transaction { [logger] connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migration (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    identifier text NOT NULL UNIQUE, applied_at timestamptz NOT NULL DEFAULT now())
                """,
                logger: logger)
            var applied = Set<String>()
            for try await identifier in try await connection.query("SELECT identifier FROM schema_migration", logger: logger)
                .decode(String.self)
            {
                applied.insert(identifier)
            }
            let unknown = applied.subtracting(PostgresMigrations.all.map(\.identifier)).sorted()
            guard unknown.isEmpty else { throw StoreError.newerSchema(unknown) }
            for migration in PostgresMigrations.all where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migration (identifier) VALUES (\(migration.identifier))", logger: logger)
            }
        }
    }

    /// Runs `body` in a transaction on one of the client's connections and commits it. An error
    /// `body` throws comes back as it is (after the rollback; PostgreSQL's described by
    /// `PostgresFailure`); a failure to begin or commit is a `StoreError.writeFailed`, for which
    /// nothing of the transaction was kept.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await openClient().withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let failure = error.closureError { throw failure is StoreError ? failure : PostgresFailure.describing(failure) }
            throw StoreError.writeFailed(PostgresFailure.describing(error.commitError ?? error.beginError ?? error))
        }
    }

    /// The migrations applied, oldest first.
    public func appliedMigrations() async throws -> [String] {
        var identifiers: [String] = []
        let rows = try await openClient().query("SELECT identifier FROM schema_migration ORDER BY position", logger: logger)
        for try await identifier in rows.decode(String.self) { identifiers.append(identifier) }
        return identifiers
    }
}
