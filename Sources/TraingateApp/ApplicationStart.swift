import Crypto
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import PolicyEngine
import Prometheus

/// What a start reads and checks before the store is opened, so that a bad TLS file, master key
/// or policy stops it before anything is written: then `assemble` wires the app on the store.
struct ApplicationStart {
    let configuration: AppConfiguration
    let logger: Logger
    let now: @Sendable () -> Date
    let connectionRegistry: ConnectionRegistry
    let server: HTTPServerBuilder
    let masterKey: SymmetricKey
    let metrics: ServiceMetrics?
    let policy: Policy

    init(configuration: AppConfiguration, logger: Logger, registry: PrometheusCollectorRegistry?, now: @escaping @Sendable () -> Date) throws {
        self.configuration = configuration
        self.logger = logger
        self.now = now
        // TLS files are read first: a bad one stops the start before anything is opened or written.
        connectionRegistry = ConnectionRegistry()
        server = try ServerTransport.builder(for: configuration, connections: connectionRegistry)
        masterKey = try MasterKeyFile.load(
            configuredHex: configuration.masterKeyHex, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory), logger: logger)
        metrics =
            configuration.metricsEnabled
            ? ServiceMetrics(
                registry: registry ?? PrometheusCollectorRegistry(), maxGroupCommitBatch: configuration.groupCommitMaxBatch, startedAt: now())
            : nil
        var policy = try PolicySource.load(path: configuration.policyPath)
        if let regimes = configuration.establishedIn { policy = try PolicyLoader.overriding(policy, establishedIn: regimes) }
        self.policy = policy
    }

    /// The policy as its audit entry names it.
    var policyIdentity: (id: String, version: String) { (policy.id, policy.version) }
}
