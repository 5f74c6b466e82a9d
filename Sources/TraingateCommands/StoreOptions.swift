import ArgumentParser
import Foundation
import Logging
import TraingateApp
import TraingatePostgres
import TraingateStore

/// Where a maintenance command finds the store, as the server does: `storage.url` from the
/// config file, `TRAINGATE_STORAGE_URL` or `--storage-url` names a PostgreSQL store the
/// instances share; without one, SQLite in the data directory.
struct StoreOptions: ParsableArguments {
    @Option(help: "Data directory of the service (default ./data, or the config file's).") var dataDir: String?
    @Option(help: "YAML config file, for storage.url and the data directory.") var config: String?
    @Option(
        help:
            "postgres://user@host:port/database of a PostgreSQL store (password from PGPASSWORD); default storage.url (config file or TRAINGATE_STORAGE_URL), else SQLite in the data directory."
    )
    var storageURL: String?

    private func resolved() throws -> (dataDirectory: URL, postgresURL: String?) {
        let configuration = try CommandConfigurationLoader.load(file: config, dataDir: dataDir)
        return (URL(fileURLWithPath: configuration.dataDirectory), storageURL ?? configuration.storageURL)
    }

    /// Runs `body` on the API keys. `writing` opens SQLite beside a running server rather than
    /// read-only, and migrates a PostgreSQL store that is new; reading changes nothing.
    func withKeys<T: Sendable>(writing: Bool, _ body: (any APIKeyStoring) async throws -> T) async throws -> T {
        let (directory, url) = try resolved()
        guard let url else {
            let database = writing ? try AppDatabase.openBesideServer(directory: directory) : try AppDatabase.openReadOnly(directory: directory)
            return try await body(APIKeyStore(database: database))
        }
        return try await withPostgres(url: url) { store in
            if writing { try await store.migrate() }
            return try await body(PostgresAPIKeyStore(store: store))
        }
    }

    /// Runs `body` on the audit log, read only (with the anchors of the data directory).
    func withAudit<T: Sendable>(_ body: (any AuditLogStore) async throws -> T) async throws -> T {
        let (directory, url) = try resolved()
        guard let url else { return try await body(AuditStore(database: try AppDatabase.openReadOnly(directory: directory))) }
        return try await withPostgres(url: url) { store in
            try await body(PostgresAuditStore(store: store, writer: PostgresAuditWriter(store: store), anchorDirectory: directory))
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
