import Crypto
import Foundation
import Logging
import TraingatePostgres
import TraingateStore

extension AppStorage {
    /// How often a follower tries for the training lead, and the lead looks for jobs and cancel
    /// requests other instances received.
    static let trainingLookInterval = Duration.seconds(1)

    /// PostgreSQL at `url`, shared with any other instance pointed at it. Before serving, on
    /// connections of its own: the schema is migrated (under an advisory lock), the policy in
    /// force recorded (once, however many instances start with it), the master key checked
    /// against what the database holds, and the keys read. Jobs left running by a lead that died
    /// are failed by whichever instance leads next (`TrainingWorker`).
    static func postgres(
        url: String, configuration: AppConfiguration, masterKey: SymmetricKey, policy: (id: String, version: String), logger: Logger,
        now: @escaping @Sendable () -> Date
    ) async throws -> AppStorage {
        let location = try PostgresLocation(url: url)
        // The instance's own files stay in its data directory: the audit anchors it writes, and
        // the master key when none is configured.
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let store = PostgresStore(location: location, connections: configuration.postgresConnections, logger: logger)
        let keys = PostgresAPIKeyStore(store: store)
        let (pseudonymKey, startingKeys) = try await PostgresStore.withRunning(location: location, logger: logger) { setup in
            try await setup.migrate()
            // The key before the policy entry: an instance with the wrong master key must
            // leave nothing in the chain.
            let pseudonymKey = try await PostgresKeyEnvelope.pseudonymKey(master: masterKey, in: setup)
            let audit = PostgresAuditStore(
                store: setup, writer: PostgresAuditWriter(store: setup), anchorDirectory: dataDirectory)
            if let change = try await audit.recordPolicyInForce(id: policy.id, version: policy.version, at: now()) {
                logger.notice("policy change recorded", metadata: ["audit.seq": "\(change.seq)", "policy.version": "\(policy.version)"])
            }
            if try await PostgresPhysicalErasure.recyclesWAL(setup) {
                logger.warning(
                    "PostgreSQL runs with wal_recycle = on: an erased subject's key can stay in recycled WAL segments until they are overwritten; set wal_recycle = off (docs/postgres.md, \"Erasure and the disk\")"
                )
            }
            return (pseudonymKey, try await PostgresAPIKeyStore(store: setup).all())
        }
        let keyring = SubjectKeyring(masterKey: masterKey)
        let auditWriter = PostgresAuditWriter(store: store, maxBatchSize: configuration.groupCommitMaxBatch)
        let admissions = PostgresAdmissionStore(
            store: store, keyring: keyring, nearDuplicateDistance: configuration.nearDuplicateDistance,
            maxBatchSize: configuration.groupCommitMaxBatch)
        let lead = PostgresLeadership(
            location: location, lockKey: PostgresLeadership.trainingLockKey, interval: trainingLookInterval, logger: logger)
        let training = PostgresTrainingStore(store: store, keyring: keyring, lead: lead)
        let notices = PostgresErasureNotices(location: location, keyring: keyring, logger: logger)
        return AppStorage(
            admissions: admissions,
            audit: PostgresAuditStore(store: store, writer: auditWriter, anchorDirectory: dataDirectory),
            keys: keys, training: training, embeddings: PostgresEmbeddingStore(store: store),
            subjects: PostgresSubjectRightsStore(store: store, keyring: keyring), manifest: PostgresTrainingManifest(store: store, keyring: keyring),
            admissibility: PostgresAdmissibilityCheck(store: store), health: PostgresHealth(store: store),
            sharedTraining: TrainingWorker.SharedStore(lead: lead, jobs: training, pollInterval: trainingLookInterval),
            keepers: [store, notices], writers: [auditWriter, admissions.committer, lead], handle: .postgres(store), pseudonymKey: pseudonymKey,
            startingKeys: startingKeys)
    }
}
