import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestFixtures
import TraingateApp

/// Builds the real application on a fresh data directory (real SQLite file) for one test.
public enum TestApp {
    public static let masterKey = String(repeating: "7f", count: 32)

    public static func make(
        _ configure: (inout AppConfiguration) -> Void = { _ in }, now: @escaping @Sendable () -> Date = Date.init
    ) throws -> (Traingate, URL) {
        let directory = newDirectory()
        return (try build(directory: directory, configure, now: now), directory)
    }

    /// A fresh data directory's location (created by whoever opens it first).
    public static func newDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("traingate-app-\(UUID().uuidString)")
    }

    /// The app on `directory`, which may already hold a database (keys made by `TestKeys`).
    public static func build(
        directory: URL, _ configure: (inout AppConfiguration) -> Void = { _ in }, now: @escaping @Sendable () -> Date = Date.init
    ) throws -> Traingate {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try buildApplication(configuration: configuration(directory: directory, configure), logger: logger, now: now)
    }

    /// The configuration of an app under test on `directory`, `configure` applied last.
    static func configuration(directory: URL, _ configure: (inout AppConfiguration) -> Void) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.dataDirectory = directory.path
        configuration.port = 0
        configuration.masterKeyHex = masterKey
        // Tests run side by side on a small machine: a training thread at nice 19 could starve
        // there for minutes (bench/train_load measures the default).
        configuration.trainingThreadNice = 0
        configure(&configuration)
        return configuration
    }

    /// Runs `body` against the app with one key per role already created (so the front door is
    /// closed); `keys` maps each role's name to its key.
    public static func withKeys(
        _ configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (_ client: any TestClientProtocol, Traingate, _ keys: [String: String]) async throws -> Void
    ) async throws {
        let directory = newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = try await TestKeys.onePerRole(in: directory)
        let traingate = try build(directory: directory, configure)
        try await traingate.application.test(.router) { client in try await body(client, traingate, keys) }
    }

    /// Runs `body` against the app through HummingbirdTesting's router client.
    public static func withClient(
        _ configure: (inout AppConfiguration) -> Void = { _ in }, now: @escaping @Sendable () -> Date = Date.init,
        _ body: @escaping @Sendable (any TestClientProtocol, Traingate) async throws -> Void
    ) async throws {
        let (traingate, directory) = try make(configure, now: now)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await traingate.application.test(.router) { client in try await body(client, traingate) }
    }
}
