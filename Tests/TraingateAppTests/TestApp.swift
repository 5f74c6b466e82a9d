import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import TraingateApp

/// Builds the real application on a fresh data directory (real SQLite file) for one test.
enum TestApp {
    static let masterKey = String(repeating: "7f", count: 32)

    static func make(
        _ configure: (inout AppConfiguration) -> Void = { _ in }, now: @escaping @Sendable () -> Date = Date.init
    ) throws -> (Traingate, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-app-\(UUID().uuidString)")
        var configuration = AppConfiguration()
        configuration.dataDirectory = directory.path
        configuration.port = 0
        configuration.masterKeyHex = masterKey
        // Tests run side by side on a small machine: a training thread at nice 19 could starve
        // there for minutes (bench/train_load measures the default).
        configuration.trainingThreadNice = 0
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return (try buildApplication(configuration: configuration, logger: logger, now: now), directory)
    }

    /// Runs `body` against the app through HummingbirdTesting's router client.
    static func withClient(
        _ configure: (inout AppConfiguration) -> Void = { _ in }, now: @escaping @Sendable () -> Date = Date.init,
        _ body: @escaping @Sendable (any TestClientProtocol, Traingate) async throws -> Void
    ) async throws {
        let (traingate, directory) = try make(configure, now: now)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await traingate.application.test(.router) { client in try await body(client, traingate) }
    }
}

extension TestClientProtocol {
    @discardableResult
    func postJSON(_ path: String, _ json: String) async throws -> TestResponse {
        try await execute(
            uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}

/// Request bodies used across the app tests.
enum Bodies {
    static func admission(
        imageID: String = "ig_1", country: String = "US", visibility: String = "public", extra: String = ""
    ) -> String {
        #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"user-1","account_country":"\#(country)"},"visibility":"\#(visibility)"\#(extra)}"#
    }

    /// A real photo (scikit-learn's flower, 320×214, progressive JPEG, no EXIF).
    static let jpeg = image("progressive.jpg")

    /// One of the image fixtures made by scripts/make-image-fixtures.
    static func image(_ name: String) -> [UInt8] {
        let url = PolicyCasesTests.root.appendingPathComponent("Tests/ImagingTests/Fixtures/\(name)")
        guard let data = FileManager.default.contents(atPath: url.path) else { fatalError("missing fixture \(url.path)") }
        return Array(data)
    }
}
