import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import PolicyEngine
import Prometheus
import ServiceLifecycle
import StrictDocuments
import TraingateStore

/// The composition root: opens storage, loads the policy and key, wires controllers and services.
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
    // TLS files are read first: a bad one stops the start before anything is opened or written.
    let connectionRegistry = ConnectionRegistry()
    let server = try ServerTransport.builder(for: configuration, connections: connectionRegistry)
    let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
    let key = try MasterKeyFile.load(
        configuredHex: configuration.masterKeyHex, dataDirectory: dataDirectory, logger: logger)
    let database = try AppDatabase.open(directory: dataDirectory, backgroundCheckpoints: true)
    let keyring = SubjectKeyring(masterKey: key)
    if let release = try SQLiteRelease.linked(in: database), !release.hasWALResetFix {
        logger.notice(
            "the linked SQLite has the WAL-reset bug (sqlite.org/wal.html#walresetbug); traingate's checkpoints avoid the race, but run no other program that checkpoints the database (the sqlite3 shell) beside it, and prefer SQLite 3.51.3 or later",
            metadata: ["sqlite.version": "\(release)"])
    }
    let metrics =
        configuration.metricsEnabled
        ? ServiceMetrics(
            registry: registry ?? PrometheusCollectorRegistry(), maxGroupCommitBatch: configuration.groupCommitMaxBatch, startedAt: now())
        : nil
    let committer = GroupCommitWriter(
        writer: database.writer, maxBatchSize: configuration.groupCommitMaxBatch, logger: logger, observer: metrics?.storage)
    let store = AdmissionStore(
        database: database, committer: committer, keyring: keyring,
        nearDuplicateDistance: configuration.nearDuplicateDistance)
    var policy = try PolicySource.load(path: configuration.policyPath)
    if let regimes = configuration.establishedIn { policy = try PolicyLoader.overriding(policy, establishedIn: regimes) }
    // An auditor must be able to tell which rules decided when: a start with another policy
    // than the last one recorded is itself an audit entry.
    if let change = try AuditStore(database: database).recordPolicyInForce(
        id: policy.id, version: policy.version, at: now())
    {
        logger.notice("policy change recorded", metadata: ["audit.seq": "\(change.seq)", "policy.version": "\(policy.version)"])
    }
    let budget = MemoryBudget(capacity: configuration.memoryBudgetBytes)
    let pseudonymizer = SubjectPseudonymizer(key: try MasterKeyRotation.pseudonymKey(master: key, in: database))
    let service = AdmissionService(
        policy: policy, store: store, positions: PositionResolver(), pseudonymizer: pseudonymizer,
        imageLimits: configuration.imageLimits, budget: budget, metrics: metrics?.decisions, now: now)
    let decoder = AdmissionRequestDecoder(
        maxImageBytes: configuration.maxImageBytes, maxBodyBytes: configuration.maxAdmissionBodyBytes,
        maxMetadataBytes: configuration.maxMetadataBytes, maxParts: configuration.maxMultipartParts, now: now)

    // A job that was running when the process died left no checkpoint (that commits with its
    // end); it is failed now, with an audit entry, before anything else can start.
    let training = TrainingStore(database: database)
    for job in try training.failInterrupted(at: now()) {
        logger.warning("training job interrupted by the last shutdown marked failed", metadata: ["job.id": "\(job)"])
    }
    let worker = TrainingWorker(
        store: training, blasThreads: configuration.trainingBLASThreads, maxImages: configuration.trainingMaxImages,
        nice: configuration.trainingThreadNice, logger: logger, metrics: metrics?.training, now: now)

    // The front door: keys are read now and every half second while the server runs.
    let keys = KeyCache(store: APIKeyStore(database: database))
    try keys.load()
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
    OperationsController(database: database, writability: WritabilityProbe(committer: committer), metrics: metrics, now: now)
        .addRoutes(to: router, catalog: catalog)
    AdmissionController(
        service: service, store: store, decoder: decoder, maxBatchLines: configuration.maxBatchLines,
        maxBatchBytes: configuration.maxBatchBytes, limits: metrics?.limits
    ).addRoutes(to: router, catalog: catalog)
    EvaluationController(service: service, decoder: decoder).addRoutes(to: router, catalog: catalog)
    PolicyController(policy: policy, now: now).addRoutes(to: router, catalog: catalog)
    AuditController(store: AuditStore(database: database), metrics: metrics?.audit, now: now).addRoutes(to: router, catalog: catalog)
    TrainingController(
        store: training, worker: worker, maxQueuedJobs: configuration.trainingMaxQueuedJobs, maxBodyBytes: configuration.maxMetadataBytes,
        now: now
    )
    .addRoutes(to: router, catalog: catalog)
    EmbeddingsController(
        store: EmbeddingStore(database: database),
        search: EmbeddingSearch(store: EmbeddingStore(database: database), imageLimits: configuration.imageLimits, budget: budget),
        maxBodyBytes: configuration.maxAdmissionBodyBytes
    ).addRoutes(to: router, catalog: catalog)
    FeedingController(manifest: TrainingManifest(database: database), admissibility: AdmissibilityCheck(database: database))
        .addRoutes(to: router, catalog: catalog)
    SubjectsController(store: SubjectRightsStore(database: database, keyring: keyring), pseudonymizer: pseudonymizer, now: now)
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
                "\(ServerTransport.scheme(for: configuration))://\(address?.ipAddress ?? configuration.host):\(address?.port ?? configuration.port)")
        },
        logger: logger)
    // Services stop in reverse order: the server drains first, then the training job stops at
    // a step boundary and records its end, then the writer commits what it holds, then the
    // checkpointer stops, then the head is anchored a last time, then the database closes
    // (after copying the log back into it). Services of extensions stop right after the server.
    let anchorer = AuditAnchorer(
        store: AuditStore(database: database), interval: .seconds(configuration.auditAnchorIntervalSeconds), logger: logger, now: now)
    let checkpointInterval = Duration.milliseconds(configuration.checkpointIntervalMilliseconds)
    let checkpointer = WALCheckpointer(
        database: database, interval: checkpointInterval, rewindFrames: configuration.walRewindPages, logger: logger,
        observer: metrics?.storage)
    application.addServices(
        DatabaseCloser(database: database), anchorer, checkpointer, committer, worker,
        KeyRefresher(cache: keys, interval: .milliseconds(500), logger: logger))
    if configuration.auditVerifyIntervalSeconds > 0 {
        application.addServices(
            AuditVerifier(
                store: AuditStore(database: database), interval: .seconds(configuration.auditVerifyIntervalSeconds),
                metrics: metrics?.audit, logger: logger, now: now))
    }
    application.addServices(mount.services)
    logger.info(
        "traingate configured",
        metadata: [
            "data.dir": "\(dataDirectory.path)", "policy.id": "\(policy.id)", "policy.version": "\(policy.version)",
        ])
    return Traingate(
        application: application, database: database, policy: policy, catalog: catalog,
        accessStatement: DevelopmentMode.statement(open: keys.isDevelopmentMode, host: configuration.host),
        shutdownGrace: .seconds(configuration.shutdownGraceSeconds))
}
