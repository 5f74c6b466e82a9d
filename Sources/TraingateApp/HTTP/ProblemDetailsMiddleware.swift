import Hummingbird

/// Outermost middleware: every error leaves as `application/problem+json` (through
/// `ProblemMapping`), including the router's 404s (turned into 405 when the path exists under
/// another method), request-body limits, storage failures (503, nothing recorded) and anything
/// unexpected (500).
struct ProblemDetailsMiddleware<Context: RequestContext>: RouterMiddleware {
    let catalog: RouteCatalog
    /// Counts requests a limit refused.
    let limits: LimitMetrics?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemMapping.problem(for: error, request: request, catalog: catalog, logger: context.logger)
            if let limit = problem.limit { limits?.rejected(by: limit) }
            return try problem.response(from: request, context: context)
        }
    }
}
