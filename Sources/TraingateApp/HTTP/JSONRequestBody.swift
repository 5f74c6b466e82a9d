import Hummingbird
import NIOCore
import StrictDocuments

/// Small JSON request bodies (training jobs, searches): bounded before parsing, `application/json`
/// only, an empty body read as `{}` when every field is optional.
enum JSONRequestBody {
    static func read(_ request: Request, limit: Int, emptyIsObject: Bool = false) async throws -> JSONValue {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ProblemDetails(.payloadTooLarge, detail: "The request body is larger than \(limit) bytes.")
        }
        if body.readableBytes == 0, emptyIsObject { return .object([:]) }
        guard MediaType(request.headers[.contentType])?.essence == "application/json" else {
            throw ProblemDetails(
                .unsupportedMediaType, detail: "Content-Type '\(request.headers[.contentType] ?? "none")' is not supported; send application/json.")
        }
        do {
            return try JSONValue.parse(body.readableBytesView)
        } catch let error as DocumentError {
            throw ProblemDetails(.malformedBody, detail: error.message)
        }
    }
}
