import HTTPTypes
import Hummingbird

/// Gives every request one id, so that a client's report and the server's log lines can be
/// matched: a valid incoming `X-Request-Id` (a load balancer's or a pipeline's own), or the one
/// Hummingbird made. It is the logger's `hb.request.id` (so every log line of the request
/// carries it), the `Request-Id` response header, and a problem body's `request_id`.
///
/// The outermost middleware, so that every answer carries it, problems included.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = TraingateRequestContext

    static let incoming = HTTPField.Name("X-Request-Id")!
    static let outgoing = HTTPField.Name("Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let given = request.headers[Self.incoming], Self.isAcceptable(given) {
            context.logger[metadataKey: "hb.request.id"] = .string(given)
        }
        let id = context.id
        var response = try await next(request, context)
        response.headers[Self.outgoing] = id
        return response
    }

    /// 1 to 128 letters, digits, `.`, `_`, `:` or `-`: anything else (spaces, control characters,
    /// a megabyte of text) is not written into logs, and a fresh id is used instead.
    static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        return (1...128).contains(utf8.count)
            && utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"): true
                default: false
                }
            }
    }
}
