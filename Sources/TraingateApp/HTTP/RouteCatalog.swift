import Hummingbird
import StrictDocuments
import Synchronization

/// Every route the server registers (method, OpenAPI-style path and the roles that may call it),
/// so that a wrong method on a known path answers 405 with `Allow`, a test can hold
/// `openapi.yaml` to the real routes, and the table reads as the API's access map.
final class RouteCatalog: Sendable {
    struct Route: Hashable, Sendable {
        let method: HTTPRequest.Method
        /// OpenAPI form, e.g. `/v1/admissions/{admission_id}`.
        let path: String
        /// The roles that will be allowed to call it (see `APIRole`).
        let roles: [APIRole]
    }

    private let storage = Mutex<[Route]>([])
    /// Who may call what; every route registered here is behind it.
    let access: AccessControl
    /// Memory request bodies (and image decoding) may hold at once.
    let budget: MemoryBudget
    /// The body cap of a route that names none (`limits.max_metadata_bytes`).
    let defaultBodyLimit: Int

    init(access: AccessControl, budget: MemoryBudget = MemoryBudget(capacity: .max), defaultBodyLimit: Int = 64 * 1024) {
        self.access = access
        self.budget = budget
        self.defaultBodyLimit = defaultBodyLimit
    }

    var routes: [Route] { storage.withLock { $0 } }

    func register(_ method: HTTPRequest.Method, _ path: String, roles: [APIRole]) {
        storage.withLock { $0.append(Route(method: method, path: path, roles: roles)) }
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

extension Router where Context == TraingateRequestContext {
    /// Registers a handler behind `access`, and records the route with the roles that may call
    /// it. `path` uses `{name}` for parameters. The check runs after routing, so it costs no
    /// second match of the path.
    @discardableResult
    /// - Parameter maxBodyBytes: the route's body cap (`catalog.defaultBodyLimit` when nil): a
    ///   larger `Content-Length` is answered 413 before a byte of the body is read, and the body's
    ///   size is reserved from `catalog.budget` while the handler runs.
    /// - Parameter bodyLimit: the setting `maxBodyBytes` comes from, named in the limit metrics.
    /// - Parameter query: the query parameters the route takes; any other is 400 naming it (a
    ///   typo must not be ignored silently). nil when the handler checks them itself.
    func route(
        _ method: HTTPRequest.Method, _ path: String, in catalog: RouteCatalog, allowing roles: [APIRole], maxBodyBytes: Int? = nil,
        bodyLimit: RequestLimit = .metadataBytes, query: Set<String>? = [],
        use handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) -> Self {
        precondition(!roles.isEmpty, "\(method) \(path) names no role")
        catalog.register(method, path, roles: roles)
        let routerPath = path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }
            .joined(separator: "/")
        let (access, budget, limit) = (catalog.access, catalog.budget, maxBodyBytes ?? catalog.defaultBodyLimit)
        return on(RouterPath(routerPath), method: method) { request, context in
            let context = try access.admit(request, context: context, roles: roles, path: path)
            if let query { try Self.refuseUnknownParameters(of: request, known: query) }
            try access.enter(roles: roles, path: path)
            defer { access.leave(roles: roles, path: path) }
            let bodyBytes = try RequestBody.announcedSize(of: request, limit: limit, setting: bodyLimit)
            return try await budget.withReservation(bodyBytes, for: "the request body") { try await handler(request, context) }
        }
    }

    private static func refuseUnknownParameters(of request: Request, known: Set<String>) throws {
        let unknown = Set(request.uri.queryParameters.map { String($0.key) }).subtracting(known).sorted()
        guard !unknown.isEmpty else { return }
        let hint = known.isEmpty ? "this route takes no query parameters" : "known: \(known.sorted().joined(separator: ", "))"
        throw ProblemDetails(validation: unknown.map { DocumentError(path: $0, message: "unknown parameter; \(hint)") })
    }
}
