import Foundation
import Hummingbird
import StrictDocuments

/// An RFC 9457 problem, the body of every error response (`application/problem+json`).
struct ProblemDetails: HTTPResponseError {
    struct FieldProblem: Equatable {
        let field: String
        let message: String
    }

    let type: String
    let title: String
    let status: HTTPResponse.Status
    let detail: String
    let errors: [FieldProblem]?
    var extraHeaders: HTTPFields = [:]
    /// The limit that refused the request, counted in `traingate_limit_rejections_total`.
    var limit: RequestLimit?

    init(_ kind: ProblemKind, detail: String, errors: [FieldProblem]? = nil, limit: RequestLimit? = nil) {
        type = kind.typeURI
        title = kind.title
        status = kind.status
        self.detail = detail
        self.errors = errors
        self.limit = limit
    }

    /// Most field problems listed in one response: a hostile body with a million unknown keys
    /// must not produce a response a million entries long.
    static let maxListedErrors = 100

    /// A 400 listing every field problem of a request (the first `maxListedErrors` of them).
    init(validation: [DocumentError]) {
        let fields = validation.prefix(Self.maxListedErrors).map {
            FieldProblem(field: $0.path.isEmpty ? "body" : $0.path, message: $0.message)
        }
        let summary = fields.prefix(3).map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        let unlisted = validation.count > fields.count ? " (the first \(fields.count) are listed)" : ""
        self.init(
            .validation,
            detail: validation.count == 1 ? summary : "\(validation.count) fields are invalid\(unlisted): \(summary)",
            errors: Array(fields))
    }

    /// The problem as a response, naming the request's id (`RequestIDMiddleware`) so that a
    /// client's report can be matched with the server's log lines.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/problem+json"
        let bytes = CanonicalJSON.encode(.object(members(["request_id": .string(context.id)])))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The problem's members, with `extra` ones (a batch line's `line`, a response's `request_id`).
    func members(_ extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "type": .string(type), "title": .string(title), "status": .number(Double(status.code)), "detail": .string(detail),
        ]
        if let errors {
            object["errors"] = .array(errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
        }
        return object.merging(extra) { _, added in added }
    }
}
