import Hummingbird
import Synchronization

/// Every route the server registers (method and OpenAPI-style path), so that a wrong method on a
/// known path answers 405 with `Allow`, and a test can hold `openapi.yaml` to the real routes.
final class RouteCatalog: Sendable {
    struct Route: Hashable, Sendable {
        let method: HTTPRequest.Method
        /// OpenAPI form, e.g. `/v1/admissions/{admission_id}`.
        let path: String
    }

    private let storage = Mutex<[Route]>([])

    var routes: [Route] { storage.withLock { $0 } }

    func register(_ method: HTTPRequest.Method, _ path: String) {
        storage.withLock { $0.append(Route(method: method, path: path)) }
    }

    /// Methods registered for a concrete request path, empty if the path is unknown.
    ///
    /// Like the router, a literal segment beats a parameter: `/v1/admissions/batch` is the batch
    /// route only, not also `/v1/admissions/{admission_id}`.
    func methods(matching requestPath: String) -> [HTTPRequest.Method] {
        let segments = requestPath.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.compactMap { route -> (route: Route, literals: Int)? in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count, zip(pattern, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 })
            else { return nil }
            return (route, pattern.filter { !$0.hasPrefix("{") }.count)
        }
        let mostSpecific = matching.map(\.literals).max()
        return matching.filter { $0.literals == mostSpecific }.map(\.route.method)
    }
}

extension Router {
    /// Registers a handler and records the route. `path` uses `{name}` for parameters.
    @discardableResult
    func route(
        _ method: HTTPRequest.Method, _ path: String, in catalog: RouteCatalog,
        use handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) -> Self {
        catalog.register(method, path)
        let routerPath = path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }
            .joined(separator: "/")
        return on(RouterPath(routerPath), method: method, use: handler)
    }
}
