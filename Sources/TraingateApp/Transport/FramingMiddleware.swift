import HTTPTypes
import Hummingbird
import NIOHTTP1

/// What NIO's HTTP/1.1 parser lets through but RFC 9112 refuses: a request without a `Host`, with
/// two, or with a transfer coding other than `chunked` alone (`gzip, chunked` would need the
/// server to undo a compression it does not offer). Each is a 400 naming the header, before any
/// route reads the body. (Framing errors the parser itself finds arrive as `HTTPParserError`;
/// `describe` words them for the client.)
struct FramingMiddleware: RouterMiddleware {
    typealias Context = TraingateRequestContext

    /// The second and later `Host` lines: NIO's conversion keeps the first as the authority.
    private static let host = HTTPField.Name("Host")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.head.authority != nil else {
            throw problem("The request has no Host header; HTTP/1.1 requires exactly one (RFC 9112, section 3.2).")
        }
        guard request.headers[values: Self.host].isEmpty else {
            throw problem("The request has more than one Host header; send exactly one (RFC 9112, section 3.2).")
        }
        let codings = request.headers[values: .transferEncoding].joined(separator: ",")
        if !codings.isEmpty, codings.trimmingCharacters(in: .whitespaces).lowercased() != "chunked" {
            var refused = problem(
                "Transfer-Encoding '\(codings)' is not supported; send the body with Content-Length or with Transfer-Encoding: chunked alone.")
            refused.extraHeaders[.connection] = "close"
            throw refused
        }
        return try await next(request, context)
    }

    private func problem(_ detail: String) -> ProblemDetails {
        ProblemDetails(.malformedRequest, detail: detail)
    }

    /// A parser error in the request's terms (never the parser's internals).
    static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .invalidChunkSize: "A chunk size of the chunked body is not a hexadecimal number."
        case .invalidEOFState, .closedConnection:
            "The connection ended before the whole body arrived (shorter than its Content-Length or its chunks)."
        case .invalidContentLength, .unexpectedContentLength: "The Content-Length header is not a valid length for this request."
        case .headerOverflow: "The request's headers are too large."
        case .invalidHeaderToken, .invalidCharactersUsed: "A header name or value holds characters HTTP does not allow."
        case .invalidMethod: "The request method is not valid HTTP."
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment, .invalidHost, .invalidPort: "The request target is not a valid URL."
        case .invalidVersion: "The HTTP version is not supported; send HTTP/1.1."
        default: "The request is not valid HTTP/1.1 (its framing could not be read); check Transfer-Encoding and Content-Length."
        }
    }
}
