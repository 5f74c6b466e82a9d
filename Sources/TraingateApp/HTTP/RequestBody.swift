import Hummingbird
import NIOCore
import StrictDocuments

/// Request bodies, bounded before anything reads them, and JSON read with problem+json errors:
/// one place for what every route that takes a body does first.
enum RequestBody {
    /// The whole body, at most `limit` bytes; over it, 413 naming the limit ("request body",
    /// "batch body": `name` says which; `setting` is the limit's, for the metrics).
    static func collect(
        _ request: Request, limit: Int, name: String = "request body", setting: RequestLimit = .metadataBytes
    ) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ProblemDetails(.payloadTooLarge, detail: "The \(name) is larger than \(limit) bytes.", limit: setting)
        }
    }

    /// The most bytes the body of `request` can have, from its head alone: its `Content-Length`
    /// (413 when over `limit`: the body is refused before it is read), `limit` when its length
    /// is not announced (chunked), 0 when it has none.
    static func announcedSize(of request: Request, limit: Int, setting: RequestLimit) throws -> Int {
        if let text = request.headers[.contentLength] {
            guard let length = Int(text), length >= 0 else {
                throw ProblemDetails(.malformedRequest, detail: "Content-Length '\(text.prefix(32))' is not a length.")
            }
            guard length <= limit else {
                throw ProblemDetails(
                    .payloadTooLarge,
                    detail: "The request body is \(length) bytes; \(request.method) \(request.uri.path) takes at most \(limit) bytes.",
                    limit: setting)
            }
            return length
        }
        if request.headers[.transferEncoding] != nil { return limit }
        // HTTP/2 announces no length; a GET or DELETE there has no body in practice.
        return [.get, .head, .delete].contains(request.method) ? 0 : limit
    }

    /// JSON bytes as a value; 400 `malformed-body` when they are not JSON, 400 `validation`
    /// naming the member when a member is repeated or holds a number that cannot be held.
    static func parseJSON(_ bytes: some Collection<UInt8>, maxValues: Int = JSONValue.maxValues) throws -> JSONValue {
        do {
            return try JSONValue.parse(bytes, maxValues: maxValues)
        } catch let error as DocumentError {
            if !error.path.isEmpty { throw ProblemDetails(validation: [error]) }
            throw ProblemDetails(.malformedBody, detail: error.message)
        }
    }

    /// Small JSON request bodies (training jobs, searches): `application/json` only, an empty
    /// body read as `{}` when every field is optional.
    static func readJSON(
        _ request: Request, limit: Int, setting: RequestLimit = .metadataBytes, emptyIsObject: Bool = false,
        maxValues: Int = JSONValue.maxValues
    ) async throws -> JSONValue {
        let body = try await collect(request, limit: limit, setting: setting)
        if body.readableBytes == 0, emptyIsObject { return .object([:]) }
        guard MediaType(request.headers[.contentType])?.essence == "application/json" else {
            throw ProblemDetails(
                .unsupportedMediaType, detail: "Content-Type '\(request.headers[.contentType] ?? "none")' is not supported; send application/json.")
        }
        return try parseJSON(body.readableBytesView, maxValues: maxValues)
    }
}
