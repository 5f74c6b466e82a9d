import ArgumentParser
import Foundation
import Logging
import TraingatePostgres
import TraingateStore

/// Where a maintenance command finds the store: SQLite in `--data-dir`, or the PostgreSQL
/// store `--storage-url` (or `TRAINGATE_STORAGE_URL`) names, which the server's instances share.
struct StoreOptions: ParsableArguments {
    @Option(help: "Data directory of the service (default ./data).") var dataDir = "./data"
    @Option(
        help:
            "postgres://user@host:port/database of a PostgreSQL store (password from PGPASSWORD); default TRAINGATE_STORAGE_URL, else SQLite in --data-dir."
    )
    var storageURL: String?

    private var postgresURL: String? {
        if let storageURL { return storageURL }
        guard let url = ProcessInfo.processInfo.environment["TRAINGATE_STORAGE_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// Runs `body` on the API keys; `writing` opens SQLite beside a running server rather than read-only.
    func withKeys<T: Sendable>(writing: Bool, _ body: (any APIKeyStoring) async throws -> T) async throws -> T {
        guard let url = postgresURL else {
            let directory = URL(fileURLWithPath: dataDir)
            let database = writing ? try AppDatabase.openBesideServer(directory: directory) : try AppDatabase.openReadOnly(directory: directory)
            return try await body(APIKeyStore(database: database))
        }
        return try await withPostgres(url: url) { store in
            try await store.migrate()
            return try await body(PostgresAPIKeyStore(store: store))
        }
    }

    /// Runs `body` on the audit log, read only (anchors from `--data-dir`).
    func withAudit<T: Sendable>(_ body: (any AuditLogStore) async throws -> T) async throws -> T {
        guard let url = postgresURL else {
            return try await body(AuditStore(database: try AppDatabase.openReadOnly(directory: URL(fileURLWithPath: dataDir))))
        }
        return try await withPostgres(url: url) { store in
            try await body(
                PostgresAuditStore(store: store, writer: PostgresAuditWriter(store: store), anchorDirectory: URL(fileURLWithPath: dataDir)))
        }
    }

    private func withPostgres<T: Sendable>(url: String, _ body: (PostgresStore) async throws -> T) async throws -> T {
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: url)
        } catch {
            throw ValidationError("\(error)")
        }
        var logger = Logger(label: "traingate")
        logger.logLevel = .warning
        return try await PostgresStore.withRunning(location: location, logger: logger, body)
    }
}
