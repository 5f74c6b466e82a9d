import Foundation
import Logging
import PostgresNIO
import Testing
import TraingatePostgres

/// A database of its own on the throw-away PostgreSQL cluster `scripts/with-postgres` starts
/// (its URL in `TRAINGATE_TEST_POSTGRES_URL`), made for one test and dropped after it.
public enum PostgresTestDatabase {
    public static let url = ProcessInfo.processInfo.environment["TRAINGATE_TEST_POSTGRES_URL"]
    /// The cluster's data directory (`TRAINGATE_TEST_POSTGRES_DIR`), for tests that read its files.
    public static let dataDirectory = ProcessInfo.processInfo.environment["TRAINGATE_TEST_POSTGRES_DIR"].map {
        URL(fileURLWithPath: $0)
    }

    /// Whether the PostgreSQL suites run: with a cluster, or when one is required
    /// (`TRAINGATE_REQUIRE_POSTGRES=1`, as `make test` sets), so that a missing cluster fails
    /// them instead of skipping them.
    public static let enabled = url != nil || ProcessInfo.processInfo.environment["TRAINGATE_REQUIRE_POSTGRES"] == "1"

    public struct Missing: Error, CustomStringConvertible {
        public let description =
            "TRAINGATE_TEST_POSTGRES_URL is not set: run the tests through scripts/with-postgres (make test does)"
    }

    public static let logger: Logger = {
        var logger = Logger(label: "postgres-test")
        // Not .warning: a query queued before the client's run() task starts is warned about,
        // and waits for it, as intended.
        logger.logLevel = .error
        return logger
    }()

    /// Creates a database, runs `body` with its URL, and drops it (also when `body` throws).
    public static func withURL<T>(_ body: (String) async throws -> T) async throws -> T {
        guard let url else { throw Missing() }
        let name = "tg_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin(url) { try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger) }
        let result: Result<T, any Error>
        do {
            var own = URLComponents(string: url)!
            own.path = "/" + name
            result = .success(try await body(own.string!))
        } catch {
            result = .failure(error)
        }
        try await admin(url) {
            try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
        }
        return try result.get()
    }

    /// Runs `body` with a migrated, running `PostgresStore` on a database of its own.
    public static func with<T: Sendable>(connections: Int = 4, _ body: (PostgresStore) async throws -> T) async throws -> T {
        try await withURL { url in try await running(url: url, connections: connections, body) }
    }

    /// A running, migrated `PostgresStore` on `url` for the duration of `body` (one instance
    /// of several on the same database, when called more than once).
    public static func running<T: Sendable>(url: String, connections: Int = 4, _ body: (PostgresStore) async throws -> T) async throws -> T {
        try await PostgresStore.withRunning(location: try PostgresLocation(url: url), connections: connections, logger: logger) { database in
            try await database.migrate()
            return try await body(database)
        }
    }

    private static func admin(_ url: String, _ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresLocation(url: url).connectionConfiguration(), id: 1, logger: logger)
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
