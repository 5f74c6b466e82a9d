import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import PolicyEngine
import Prometheus
import ServiceLifecycle
import StrictDocuments
import TraingateStore

/// The composition root on the embedded store: SQLite in `data.dir`. A configuration with
/// `storage.url` needs `openApplication`, whose start is asynchronous.
/// - Parameters:
///   - configuration: the merged configuration.
///   - registry: where metrics go (`/metrics` serves it); nil makes one for this application.
///     With `http.metrics_enabled` false nothing is recorded and `/metrics` answers 404.
///   - now: the clock the policy engine sees (injected so tests control time).
///   - onListening: called with the bound address once the server accepts connections.
///   - extensions: routes and services another package mounts (bench/ does; `traingate` none).
public func buildApplication(
    configuration: AppConfiguration, logger: Logger, registry: PrometheusCollectorRegistry? = nil,
    now: @escaping @Sendable () -> Date = Date.init,
    onListening: @escaping @Sendable (String) async -> Void = { _ in },
    extensions: [any ApplicationExtension] = []
) throws -> Traingate {
    guard configuration.storageURL == nil else { throw StorageNeedsAsyncStart() }
    let start = try ApplicationStart(configuration: configuration, logger: logger, registry: registry, now: now)
    let storage = try AppStorage.sqlite(
        configuration: configuration, masterKey: start.masterKey, policy: start.policyIdentity, metrics: start.metrics, logger: logger,
        now: now)
    return try start.assemble(storage: storage, onListening: onListening, extensions: extensions)
}

/// The composition root on either store: PostgreSQL when `storage.url` names one (migrated,
/// checked and read before serving), else SQLite in `data.dir`. Parameters as `buildApplication`'s.
public func openApplication(
    configuration: AppConfiguration, logger: Logger, registry: PrometheusCollectorRegistry? = nil,
    now: @escaping @Sendable () -> Date = Date.init,
    onListening: @escaping @Sendable (String) async -> Void = { _ in },
    extensions: [any ApplicationExtension] = []
) async throws -> Traingate {
    guard let url = configuration.storageURL else {
        return try buildApplication(
            configuration: configuration, logger: logger, registry: registry, now: now, onListening: onListening, extensions: extensions)
    }
    let start = try ApplicationStart(configuration: configuration, logger: logger, registry: registry, now: now)
    let storage = try await AppStorage.postgres(
        url: url, configuration: configuration, masterKey: start.masterKey, policy: start.policyIdentity, logger: logger, now: now)
    return try start.assemble(storage: storage, onListening: onListening, extensions: extensions)
}

/// `buildApplication` was given a `storage.url`.
struct StorageNeedsAsyncStart: Error, CustomStringConvertible {
    var description: String { "storage.url names a PostgreSQL store, which opens asynchronously: start it with openApplication" }
}

extension ApplicationStart {
    /// Wires controllers and services on `storage`.
    func assemble(
        storage: AppStorage, onListening: @escaping @Sendable (String) async -> Void, extensions: [any ApplicationExtension]
    ) throws -> Traingate {
        let (configuration, logger, now, metrics, policy) = (configuration, logger, now, metrics, policy)
        let budget = MemoryBudget(capacity: configuration.memoryBudgetBytes)
        let pseudonymizer = SubjectPseudonymizer(key: storage.pseudonymKey)
        let service = AdmissionService(
            policy: policy, store: storage.admissions, positions: PositionResolver(), pseudonymizer: pseudonymizer,
            imageLimits: configuration.imageLimits, budget: budget, metrics: metrics?.decisions, now: now)
        let decoder = AdmissionRequestDecoder(
            maxImageBytes: configuration.maxImageBytes, maxBodyBytes: configuration.maxAdmissionBodyBytes,
            maxMetadataBytes: configuration.maxMetadataBytes, maxParts: configuration.maxMultipartParts, now: now)

        let worker = TrainingWorker(
            store: storage.training, shared: storage.sharedTraining, blasThreads: configuration.trainingBLASThreads,
            maxImages: configuration.trainingMaxImages,
            nice: configuration.trainingThreadNice, logger: logger, metrics: metrics?.training, now: now)

        // The front door: keys are read now and every half second while the server runs.
        let keys = KeyCache(store: storage.keys, keys: storage.startingKeys)
        if keys.isDevelopmentMode && !DevelopmentMode.isLoopback(host: configuration.host) {
            throw DevelopmentMode.ReachableWithoutKeys(host: configuration.host)
        }
        let catalog = RouteCatalog(
            access: AccessControl(
                keys: keys, metricsOpenOnLoopback: configuration.metricsOpenOnLoopback,
                rateLimiter: RateLimiter(rate: Double(configuration.rateLimitPerKey), burst: Double(configuration.rateBurstPerKey)),
                inFlight: InFlightLimit(maximum: configuration.maxRequestsInFlight), now: now),
            budget: budget, defaultBodyLimit: configuration.maxMetadataBytes)
        // HEAD works wherever GET does (RFC 9110).
        let router = Router(context: TraingateRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestIDMiddleware())
        if let metrics { router.add(middleware: RequestMetricsMiddleware(metrics: metrics.http)) }
        router.add(middleware: ProblemDetailsMiddleware(catalog: catalog, limits: metrics?.limits))
        router.add(middleware: FramingMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        OperationsController(health: storage.health, metrics: metrics, now: now)
            .addRoutes(to: router, catalog: catalog)
        AdmissionController(
            service: service, store: storage.admissions, decoder: decoder, maxBatchLines: configuration.maxBatchLines,
            maxBatchBytes: configuration.maxBatchBytes, limits: metrics?.limits
        ).addRoutes(to: router, catalog: catalog)
        EvaluationController(service: service, decoder: decoder).addRoutes(to: router, catalog: catalog)
        PolicyController(policy: policy, now: now).addRoutes(to: router, catalog: catalog)
        AuditController(store: storage.audit, metrics: metrics?.audit, now: now).addRoutes(to: router, catalog: catalog)
        TrainingController(
            store: storage.training, worker: worker, maxQueuedJobs: configuration.trainingMaxQueuedJobs, maxBodyBytes: configuration.maxMetadataBytes,
            now: now
        )
        .addRoutes(to: router, catalog: catalog)
        EmbeddingsController(
            store: storage.embeddings,
            search: EmbeddingSearch(store: storage.embeddings, imageLimits: configuration.imageLimits, budget: budget),
            maxBodyBytes: configuration.maxAdmissionBodyBytes
        ).addRoutes(to: router, catalog: catalog)
        FeedingController(manifest: storage.manifest, admissibility: storage.admissibility)
            .addRoutes(to: router, catalog: catalog)
        SubjectsController(store: storage.subjects, pseudonymizer: pseudonymizer, now: now)
            .addRoutes(to: router, catalog: catalog)
        var mount = ApplicationMount(
            configuration: configuration, admissionStages: AdmissionStages(decoder: decoder, service: service), router: router,
            catalog: catalog)
        for applicationExtension in extensions { try applicationExtension.mount(&mount) }

        let connections = ConnectionLimit.effective(configured: configuration.maxConnections, logger: logger)
        var application = Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "traingate",
                availableConnectionsDelegate: EvictingConnectionLimit(
                    maximum: connections, registry: connectionRegistry, logger: logger, limits: metrics?.limits)),
            onServerRunning: { channel in
                let address = channel.localAddress
                await onListening(
                    "\(ServerTransport.scheme(for: configuration))://\(address?.ipAddress ?? configuration.host):\(address?.port ?? configuration.port)"
                )
            },
            logger: logger)
        // Services stop in reverse order: the server drains first, then the training job stops at
        // a step boundary and records its end, then the writers commit what they hold (on SQLite
        // the checkpointer stops after them; on PostgreSQL the training lead is released first),
        // then the head is anchored a last time, then the store closes (SQLite copies its log back
        // into the database). Services of extensions stop right after the server.
        let anchorer = AuditAnchorer(
            store: storage.audit, interval: .seconds(configuration.auditAnchorIntervalSeconds), logger: logger, now: now)
        application.addServices(storage.keepers)
        application.addServices(anchorer)
        application.addServices(storage.writers)
        application.addServices(worker, KeyRefresher(cache: keys, interval: .milliseconds(500), logger: logger))
        if configuration.auditVerifyIntervalSeconds > 0 {
            application.addServices(
                AuditVerifier(
                    store: storage.audit, interval: .seconds(configuration.auditVerifyIntervalSeconds),
                    metrics: metrics?.audit, logger: logger, now: now))
        }
        application.addServices(mount.services)
        logger.info(
            "traingate configured",
            metadata: [
                "storage": "\(storage.handle.location)", "policy.id": "\(policy.id)", "policy.version": "\(policy.version)",
            ])
        return Traingate(
            application: application, store: storage.handle, policy: policy, catalog: catalog,
            accessStatement: DevelopmentMode.statement(open: keys.isDevelopmentMode, host: configuration.host),
            shutdownGrace: .seconds(configuration.shutdownGraceSeconds))
    }
}
