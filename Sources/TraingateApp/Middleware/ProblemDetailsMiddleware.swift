import Hummingbird
import Logging
import TraingateStore

/// Outermost middleware: every error leaves as `application/problem+json`, including the
/// router's 404s (turned into 405 when the path exists under another method), request-body
/// limits, storage failures (503, nothing recorded) and anything unexpected (500).
struct ProblemDetailsMiddleware<Context: RequestContext>: RouterMiddleware {
    let catalog: RouteCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            return try problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try problem(for: error, request: request).response(from: request, context: context)
        } catch let error as StoreError where error.code == .corruptRecord {
            context.logger.error("corrupt record", metadata: ["error": "\(error)"])
            return try ProblemDetails(.internalError, detail: "A stored record could not be read; it has been logged.")
                .response(from: request, context: context)
        } catch let error as StoreError {
            context.logger.error("storage failure", metadata: ["error": "\(error)"])
            return try ProblemDetails(.storageUnavailable, detail: "The database could not record the request; retry later.")
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return try ProblemDetails(.internalError, detail: "An unexpected error occurred; it has been logged.")
                .response(from: request, context: context)
        }
    }

    private func problem(for error: any HTTPResponseError, request: Request) -> ProblemDetails {
        let message = (error as? HTTPError)?.body
        switch error.status {
        case .notFound:
            let allowed = catalog.methods(matching: request.uri.path)
            guard !allowed.isEmpty else {
                return ProblemDetails(.notFound, detail: "No resource at \(request.uri.path).")
            }
            var problem = ProblemDetails(
                .methodNotAllowed,
                detail: "\(request.method) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: ", ")).")
            problem.extraHeaders[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return problem
        case .contentTooLarge:
            return ProblemDetails(.payloadTooLarge, detail: message ?? "The request body is larger than allowed.")
        default:
            return ProblemDetails(.http(error.status), detail: message ?? error.status.reasonPhrase)
        }
    }
}
