import Foundation
import Logging
import Testing
import TraingateApp
import TraingateTesting

/// The real server on a real socket, on a fresh data directory, for tests that send bytes.
enum LiveServer {
    /// Starts the server on a free port, runs `body` with the port, then shuts down gracefully.
    static func run(
        _ body: @escaping @Sendable (Int, Traingate, _ shutdown: @escaping @Sendable () async -> Void) async throws -> Void,
        afterShutdown: (URL) async throws -> Void = { _ in }, beforeStart: (URL) async throws -> Void = { _ in },
        configure: (inout AppConfiguration) -> Void = { _ in }
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await beforeStart(directory)
        var configuration = AppConfiguration()
        configuration.dataDirectory = directory.path
        configuration.port = 0
        configuration.masterKeyHex = TestApp.masterKey
        configure(&configuration)
        let (addresses, announce) = AsyncStream.makeStream(of: String.self)
        var logger = Logger(label: "live")
        logger.logLevel = .warning
        let traingate = try buildApplication(
            configuration: configuration, logger: logger, onListening: { announce.yield($0) })
        let group = traingate.serviceGroup(gracefulShutdownSignals: [])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = addresses.makeAsyncIterator()
            let address = try #require(await iterator.next())
            let port = try #require(Int(address.split(separator: ":").last!))
            try await body(port, traingate, { await group.triggerGracefulShutdown() })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await afterShutdown(directory)
    }

    /// Polls `condition` every 100 ms until it holds or 30 s have passed (the server re-reads
    /// keys every 500 ms; the margin is for a loaded machine, not a measurement). A deadline
    /// rather than a count of tries, so slow answers under load do not shorten the wait.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}
