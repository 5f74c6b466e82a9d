import Hummingbird
import Logging
import NIOHTTP1
import TraingateStore

/// The one mapping from any error to the problem+json a client sees: the middleware, batch
/// answer lines and controllers all call it, so an error means the same everywhere
/// (docs/errors.md lists the problem types).
enum ProblemMapping {
    /// - Parameters:
    ///   - what: what failed, for the detail of a storage failure ("the request", "this line").
    ///   - request: the request, so that a 404 on a path that exists under other methods becomes
    ///     a 405 naming them (with `catalog`).
    static func problem(
        for error: any Error, what: String = "the request", request: Request? = nil, catalog: RouteCatalog? = nil, logger: Logger
    ) -> ProblemDetails {
        switch error {
        case let problem as ProblemDetails:
            return problem
        case let error as HTTPParserError:
            // The client's bytes are not HTTP/1.1 (a bad chunk size, a body cut short): its
            // fault, answered 400; the connection cannot be read further and closes.
            var problem = ProblemDetails(.malformedRequest, detail: FramingMiddleware.describe(error))
            problem.extraHeaders[.connection] = "close"
            return problem
        case let error as any HTTPResponseError:
            return problem(forHTTP: error, request: request, catalog: catalog)
        case let error as StoreError where error.code == .corruptRecord:
            logger.error("corrupt record", metadata: ["error": "\(error)"])
            return ProblemDetails(.internalError, detail: "A stored record could not be read; it has been logged.")
        case let error as StoreError where error.code == .conflict:
            return ProblemDetails(.conflict, detail: error.description)
        case let error as StoreError:
            // A failing write is logged by the group-commit writer when the failure starts and
            // when it ends; once per request would flood the log while a disk is full.
            if error.code == .writeFailed {
                logger.debug("storage failure", metadata: ["error": "\(error)"])
            } else {
                logger.error("storage failure", metadata: ["error": "\(error)"])
            }
            var problem = ProblemDetails(
                .storageUnavailable, detail: "The database could not record \(what); retry later.",
                limit: error.code == .overloaded ? .pendingWrites : nil)
            problem.extraHeaders[.retryAfter] = "5"
            return problem
        default:
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return ProblemDetails(.internalError, detail: "An unexpected error occurred; it has been logged.")
        }
    }

    private static func problem(forHTTP error: any HTTPResponseError, request: Request?, catalog: RouteCatalog?) -> ProblemDetails {
        let message = (error as? HTTPError)?.body
        switch error.status {
        case .notFound:
            guard let request else { return ProblemDetails(.notFound, detail: message ?? "Not found.") }
            let path = request.uri.path
            let allowed = catalog?.methods(matching: path) ?? []
            guard !allowed.isEmpty else { return ProblemDetails(.notFound, detail: "No resource at \(path).") }
            let methods = allowed.map(\.rawValue).joined(separator: ", ")
            var problem = ProblemDetails(.methodNotAllowed, detail: "\(request.method) is not allowed on \(path); use \(methods).")
            problem.extraHeaders[.allow] = methods
            return problem
        case .contentTooLarge:
            return ProblemDetails(.payloadTooLarge, detail: message ?? "The request body is larger than allowed.")
        default:
            return ProblemDetails(.http(error.status), detail: message ?? error.status.reasonPhrase)
        }
    }
}
