import Foundation
import Hummingbird
import PolicyEngine
import ServiceLifecycle
import UnixSignals
import TraingatePostgres
import TraingateStore

/// The assembled service: the Hummingbird application plus what tests and the CLI need to see.
public struct Traingate: Sendable {
    public let application: Application<RouterResponder<TraingateRequestContext>>
    /// The store the app runs on.
    public let store: StoreHandle
    /// The policy in force, with the configuration's establishment applied.
    public let policy: Policy
    let catalog: RouteCatalog
    /// Whether keys are required, for the operator at start.
    public let accessStatement: String
    /// How long a graceful shutdown may take (`http.shutdown_grace_seconds`).
    let shutdownGrace: Duration

    /// The SQLite database the app runs on; nil when it runs on PostgreSQL (`storage.url`).
    public var sqliteDatabase: AppDatabase? {
        guard case .sqlite(let database) = store else { return nil }
        return database
    }

    /// The PostgreSQL store the app runs on; nil when it runs on SQLite.
    public var postgresStore: PostgresStore? {
        guard case .postgres(let postgres) = store else { return nil }
        return postgres
    }

    /// Every registered route as (method, OpenAPI path).
    public var routes: [(method: String, path: String)] { catalog.routes.map { ($0.method.rawValue, $0.path) } }

    /// Every route with the roles that will be allowed to call it: the API's access map.
    public var accessMap: [(method: String, path: String, roles: [APIRole])] {
        catalog.routes.map { ($0.method.rawValue, $0.path, $0.roles) }
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully: the server stops accepting,
    /// in-flight requests finish, the services stop in order. Whatever has not finished after
    /// `shutdownGrace` (a client holding a half-sent body, say) is cancelled, so a stop never
    /// hangs; what was acknowledged is committed either way.
    public func runService() async throws {
        try await serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint]).run()
    }

    /// The service group `runService` runs (tests trigger its shutdown themselves).
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal]) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: gracefulShutdownSignals, logger: application.logger)
        configuration.maximumGracefulShutdownDuration = shutdownGrace
        return ServiceGroup(configuration: configuration)
    }
}
