import Hummingbird

/// Outermost middleware: every error leaves as `application/problem+json` (through
/// `ProblemMapping`), including the router's 404s (turned into 405 when the path exists under
/// another method), request-body limits, storage failures (503, nothing recorded) and anything
/// unexpected (500).
struct ProblemDetailsMiddleware<Context: RequestContext>: RouterMiddleware {
    let catalog: RouteCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try ProblemMapping.problem(for: error, request: request, catalog: catalog, logger: context.logger)
                .response(from: request, context: context)
        }
    }
}
