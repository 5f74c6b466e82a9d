import Foundation
import HummingbirdTesting
import Logging
import PostgresTesting
import TraingateApp

/// The app under test on either store: the same requests, the same expectations. On
/// PostgreSQL each test gets a database of its own on the throw-away cluster.
extension TestApp {
    /// Runs `body` against the app on `backend` through HummingbirdTesting's router client.
    public static func withClient(
        on backend: StoreBackend, _ configure: (inout AppConfiguration) -> Void = { _ in },
        now: @escaping @Sendable () -> Date = Date.init,
        _ body: @escaping @Sendable (any TestClientProtocol, Traingate) async throws -> Void
    ) async throws {
        try await withStore(on: backend) { directory, storageURL in
            let traingate = try await open(directory: directory, storageURL: storageURL, configure, now: now)
            try await traingate.application.test(.router) { client in try await body(client, traingate) }
        }
    }

    /// `withKeys` on `backend`: one key per role made before the app starts.
    public static func withKeys(
        on backend: StoreBackend, _ configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (_ client: any TestClientProtocol, Traingate, _ keys: [String: String]) async throws -> Void
    ) async throws {
        try await withStore(on: backend) { directory, storageURL in
            let keys =
                if let storageURL {
                    try await TestKeys.onePerRole(inPostgres: storageURL)
                } else {
                    try await TestKeys.onePerRole(in: directory)
                }
            let traingate = try await open(directory: directory, storageURL: storageURL, configure)
            try await traingate.application.test(.router) { client in try await body(client, traingate, keys) }
        }
    }

    /// The app on `directory` and, when given, the PostgreSQL store at `storageURL`.
    public static func open(
        directory: URL, storageURL: String?, _ configure: (inout AppConfiguration) -> Void = { _ in },
        now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> Traingate {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try await openApplication(
            configuration: configuration(directory: directory) {
                $0.storageURL = storageURL
                // Tests run side by side on one cluster: each app opens few connections.
                $0.postgresConnections = 3
                configure(&$0)
            }, logger: logger, now: now)
    }

    /// A fresh data directory and, on PostgreSQL, a fresh database; both removed after `body`.
    private static func withStore(on backend: StoreBackend, _ body: (URL, String?) async throws -> Void) async throws {
        let directory = newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        switch backend {
        case .sqlite: try await body(directory, nil)
        case .postgres: try await PostgresTestDatabase.withURL { url in try await body(directory, url) }
        }
    }
}
