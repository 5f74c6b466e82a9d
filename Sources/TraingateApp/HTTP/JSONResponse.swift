import Foundation
import Hummingbird
import StrictDocuments

/// JSON responses with stable key order, so bodies are easy to diff and cache.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encode(value))))
    }

    /// For hot paths: a `JSONValue` written by `CanonicalJSON` (sorted keys, compact) costs a
    /// fraction of `JSONEncoder`, and produces the same bytes for these bodies.
    static func make(_ status: HTTPResponse.Status, json: JSONValue, headers: HTTPFields = [:]) -> Response {
        make(status, canonicalBytes: CanonicalJSON.encode(json), headers: headers)
    }

    /// A body already written as canonical JSON.
    static func make(_ status: HTTPResponse.Status, canonicalBytes: [UInt8], headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: canonicalBytes)))
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
