import Hummingbird

/// Counts and times every request by the route template it matched. It sits outside the
/// problem middleware, so it sees each request's final status, errors included; the time runs
/// to the response's head (a streamed export's body is not waited for).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        metrics.record(
            method: request.method, route: context.endpointPath, status: response.status, duration: ContinuousClock.now - started)
        return response
    }
}
