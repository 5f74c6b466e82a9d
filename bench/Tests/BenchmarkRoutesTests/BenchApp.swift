import Foundation
import HummingbirdTesting
import Logging
import NIOCore
import TraingateApp

@testable import BenchmarkRoutes

/// The real app on a fresh data directory with the baselines mounted, as the bench server runs it.
enum BenchApp {
    static func withClient(_ body: @escaping @Sendable (any TestClientProtocol, Traingate) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = AppConfiguration()
        configuration.dataDirectory = directory.path
        configuration.port = 0
        configuration.masterKeyHex = String(repeating: "7f", count: 32)
        var logger = Logger(label: "bench-test")
        logger.logLevel = .warning
        let traingate = try buildApplication(configuration: configuration, logger: logger, extensions: [BenchmarkRoutes(logger: logger)])
        try await traingate.application.test(.router) { client in try await body(client, traingate) }
    }
}

extension TestClientProtocol {
    @discardableResult
    func postJSON(_ path: String, _ json: String) async throws -> TestResponse {
        try await execute(uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
