import Crypto
import Foundation
import Logging
import TraingateStore

extension AppStorage {
    /// SQLite in the data directory: opened, migrated, the policy in force recorded, and the
    /// training jobs the last process left running failed, before anything is served.
    static func sqlite(
        configuration: AppConfiguration, masterKey: SymmetricKey, policy: (id: String, version: String), metrics: ServiceMetrics?,
        logger: Logger, now: @escaping @Sendable () -> Date
    ) throws -> AppStorage {
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        let database = try AppDatabase.open(directory: dataDirectory, backgroundCheckpoints: true)
        if let release = try SQLiteRelease.linked(in: database), !release.hasWALResetFix {
            logger.notice(
                "the linked SQLite has the WAL-reset bug (sqlite.org/wal.html#walresetbug); traingate's checkpoints avoid the race, but run no other program that checkpoints the database (the sqlite3 shell) beside it, and prefer SQLite 3.51.3 or later",
                metadata: ["sqlite.version": "\(release)"])
        }
        let committer = GroupCommitWriter(
            writer: database.writer, maxBatchSize: configuration.groupCommitMaxBatch, logger: logger, observer: metrics?.storage)
        let keyring = SubjectKeyring(masterKey: masterKey)
        let audit = AuditStore(database: database)
        // An auditor must be able to tell which rules decided when: a start with another policy
        // than the last one recorded is itself an audit entry.
        if let change = try audit.recordPolicyInForce(id: policy.id, version: policy.version, at: now()) {
            logger.notice("policy change recorded", metadata: ["audit.seq": "\(change.seq)", "policy.version": "\(policy.version)"])
        }
        // A job that was running when the process died left no checkpoint (that commits with its
        // end); it is failed now, with an audit entry, before anything else can start.
        let training = TrainingStore(database: database)
        for job in try training.failInterrupted(at: now()) {
            logger.warning("training job interrupted by the last shutdown marked failed", metadata: ["job.id": "\(job)"])
        }
        let keys = APIKeyStore(database: database)
        let checkpointer = WALCheckpointer(
            database: database, interval: .milliseconds(configuration.checkpointIntervalMilliseconds),
            rewindFrames: configuration.walRewindPages, logger: logger, observer: metrics?.storage)
        return AppStorage(
            admissions: AdmissionStore(
                database: database, committer: committer, keyring: keyring, nearDuplicateDistance: configuration.nearDuplicateDistance),
            audit: audit, keys: keys, training: training, embeddings: EmbeddingStore(database: database),
            subjects: SubjectRightsStore(database: database, keyring: keyring), manifest: TrainingManifest(database: database),
            admissibility: AdmissibilityCheck(database: database),
            health: SQLiteHealth(database: database, probe: WritabilityProbe(committer: committer)), sharedTraining: nil,
            keepers: [DatabaseCloser(database: database)], writers: [checkpointer, committer], handle: .sqlite(database),
            pseudonymKey: try MasterKeyRotation.pseudonymKey(master: masterKey, in: database), startingKeys: try keys.all())
    }
}
