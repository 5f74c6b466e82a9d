import Hummingbird
import ServiceLifecycle

/// What an `ApplicationExtension` may use while it is mounted: the configuration, the stages of
/// an admission, the app's route table and the app's services.
///
/// Routes added here go through the same middleware as the app's own (problem+json errors, 405
/// with `Allow`, metrics) and appear in the access map with the roles they name.
public struct ApplicationMount {
    public let configuration: AppConfiguration
    public let admissionStages: AdmissionStages
    let router: Router<TraingateRequestContext>
    let catalog: RouteCatalog
    private(set) var services: [any Service] = []

    init(configuration: AppConfiguration, admissionStages: AdmissionStages, router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        self.configuration = configuration
        self.admissionStages = admissionStages
        self.router = router
        self.catalog = catalog
    }

    /// Adds a route; `path` uses `{name}` for parameters, as the app's own routes do.
    /// The handler checks its own query parameters.
    public func route(
        _ method: HTTPRequest.Method, _ path: String, allowing roles: [APIRole],
        use handler: @escaping @Sendable (Request, TraingateRequestContext) async throws -> Response
    ) {
        router.route(method, path, in: catalog, allowing: roles, query: nil, use: handler)
    }

    /// Runs `service` beside the app's. Extension services stop right after the HTTP server has
    /// drained, before the app's own writer and database.
    public mutating func addService(_ service: any Service) {
        services.append(service)
    }
}
