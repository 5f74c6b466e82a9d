import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

extension TestClientProtocol {
    @discardableResult
    public func postJSON(_ path: String, _ json: String, key: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    /// A GET with `Authorization: Bearer key` (none when nil).
    public func get(_ path: String, key: String?) async throws -> TestResponse {
        try await execute(uri: path, method: .get, headers: key.map { [.authorization: "Bearer \($0)"] } ?? [:])
    }

    /// A DELETE with `Authorization: Bearer key` (none when nil).
    public func delete(_ path: String, key: String? = nil) async throws -> TestResponse {
        try await execute(uri: path, method: .delete, headers: key.map { [.authorization: "Bearer \($0)"] } ?? [:])
    }
}

extension TestResponse {
    /// The body as a JSON object.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
