import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Copies the write-ahead log back into the database file from a connection of its own, so the
/// writer never pays for it, and keeps the log from growing without bound.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold and, with
/// `synchronous=FULL`, fsyncs the database file there: every admission queued behind that commit
/// waits (bench/admissions measured p99 13 ms with it, 5.6 ms without). With
/// `AppDatabase.open(directory:backgroundCheckpoints: true)` the automatic checkpoint is off and
/// this service runs PASSIVE checkpoints, which never block writers or readers.
///
/// A PASSIVE checkpoint from another connection never catches up with a writer that keeps
/// committing, and SQLite rewinds the log to its start only when a write begins after *every*
/// frame has been copied back. Under sustained load the log therefore grew without bound (800 MB
/// in 20 s of bench/admissions). So when the log holds more than `rewindFrames` frames, one
/// checkpoint runs on the writer's own connection, between two group commits, and the next
/// commit starts the log again from the beginning. That checkpoint holds up the writer for its
/// fsyncs, which is why the threshold is high: under saturation it happens every few seconds,
/// not on every round.
///
/// SQLite fsyncs the database file only when a checkpoint reaches the end of the log, which a
/// PASSIVE pass under load almost never does (a commit lands while it copies): everything the
/// passes copied stays unsynced until the catch-up, and that fsync (35–55 ms measured) held up
/// every commit. So the database file is flushed from this service's own thread first, and the
/// catch-up syncs only its last frames (2–6 ms; docs/benchmarks.md, "The tail at half the peak
/// rate"). The flush only moves work: the catch-up still syncs before the log is rewound.
///
/// No round starts on a log the previous one left wholly copied until another connection has
/// committed (`CheckpointGate`): that start, racing a commit that rewinds the log, is SQLite's
/// WAL-reset bug, which loses committed frames on SQLite before 3.51.3.
public struct WALCheckpointer: Service {
    private let database: AppDatabase
    private let interval: Duration
    private let rewindFrames: Int
    private let logger: Logger
    private let observer: (any StorageObserver)?

    /// - Parameters:
    ///   - database: the database whose log to checkpoint.
    ///   - interval: time between checkpoints (`storage.checkpoint_interval_ms`); the log grows by at
    ///     most what is written meanwhile.
    ///   - rewindFrames: log size, in pages, above which the log is rewound (65536 pages = 256 MiB).
    ///   - logger: where failed rounds are reported (a round that keeps failing lets the log grow).
    ///   - observer: told each failed round's kind (metrics).
    public init(
        database: AppDatabase, interval: Duration, rewindFrames: Int = 65536,
        logger: Logger = Logger(label: "traingate.checkpointer"), observer: (any StorageObserver)? = nil
    ) {
        self.database = database
        self.interval = interval
        self.rewindFrames = rewindFrames
        self.logger = logger
        self.observer = observer
    }

    public func run() async throws {
        let connection = try openConnection()
        defer { try? connection.close() }
        // The cause of the rounds failing now: logged when it starts and when rounds succeed
        // again, not every round (a full disk fails every one of them until it is fixed).
        var failing: String?
        var gate = CheckpointGate()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: interval)
            // A partial or busy round is fine: the next round continues where it stopped.
            do {
                try await checkpoint(using: connection, gate: &gate)
                if let cause = failing {
                    logger.notice("WAL checkpoint rounds succeed again", metadata: ["was": "\(cause)"])
                    failing = nil
                }
            } catch is CancellationError {
                break  // the service is being stopped, not failing
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                continue
            } catch {
                observer?.failed(.checkpoint, jobs: 1, kind: StorageFailureKind(error))
                if failing != "\(error)" {
                    logger.warning("WAL checkpoint rounds fail; the log grows until they succeed", metadata: ["error": "\(error)"])
                    failing = "\(error)"
                }
            }
        }
    }

    func openConnection() throws -> DatabaseQueue {
        // The database's own settings (synchronous=FULL: a checkpoint fsyncs what it copied
        // before the log is rewound over it), but never waiting for a lock: a busy round is skipped.
        var configuration = AppDatabase.makeConfiguration()
        configuration.busyMode = .immediateError
        return try DatabaseQueue(path: database.path, configuration: configuration)
    }

    /// `PRAGMA data_version` of `connection`: it changes when another connection commits.
    static func dataVersion(of connection: DatabaseQueue) async throws -> Int {
        try await connection.read { db in try dataVersion(db) }
    }

    static func dataVersion(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
    }

    /// One round, if `gate` lets it start: a PASSIVE checkpoint in the background and, if the
    /// log is long, a rewind.
    /// - Returns: the number of frames in the log after the round, nil when the gate kept it closed.
    @discardableResult
    func checkpoint(using connection: DatabaseQueue, gate: inout CheckpointGate) async throws -> Int? {
        // An erasure's truncation that readers held up: once more each round until it is done.
        if database.isWALTruncationPending, await database.truncateWAL(waitingAtMost: 0.25) { return 0 }
        guard var background = try await pass(using: connection, gate: &gate) else { return nil }
        guard background.walFrameCount > rewindFrames else { return background.walFrameCount }
        // A pass copies what was written during the one before, and a short pass leaves little for
        // the next: a few passes shrink what the writer will have to wait for to a few fsyncs' worth.
        // No pass starts on a log the one before copied wholly (the gate). A whole copy seen here
        // is stale under load all the same (the writer appended meanwhile, so it never found the
        // log wholly copied and never rewound it): the writer's own catch-up below still runs,
        // between two of its commits, where no commit can race it.
        for _ in 0..<8 {
            let copiedBefore = background.checkpointedFrameCount
            guard let next = try await pass(using: connection, gate: &gate) else { break }
            background = next
            if background.checkpointedFrameCount - copiedBefore <= Self.writerCopyFrames { break }
        }
        // On the checkpointer's queue, not on the cooperative pool and not holding the writer.
        // Only an optimisation: if it fails, the rewind still runs and syncs everything itself.
        do {
            try await connection.writeWithoutTransaction { _ in try Self.flush(path: database.path) }
        } catch {
            logger.warning("could not flush the database file before the WAL rewind", metadata: ["error": "\(error)"])
        }
        let caughtUp = try await database.writer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        gate.finished(
            logFrames: caughtUp.walFrameCount, copiedFrames: caughtUp.checkpointedFrameCount,
            dataVersion: try await Self.dataVersion(of: connection))
        return caughtUp.walFrameCount
    }

    /// One PASSIVE checkpoint on the checkpointer's connection if the gate lets it start, and the
    /// gate told how it left the log; nil when the gate is closed. The look and the start happen
    /// under `checkpointing`, so no truncation slips in between.
    private func pass(using connection: DatabaseQueue, gate: inout CheckpointGate) async throws -> (walFrameCount: Int, checkpointedFrameCount: Int)?
    {
        let looked = gate
        let (result, updated) = try await connection.writeWithoutTransaction { [database] db in
            try database.checkpointing.withLock { truncations -> ((walFrameCount: Int, checkpointedFrameCount: Int)?, CheckpointGate) in
                var gate = looked
                gate.truncations(truncations, dataVersion: try Self.dataVersion(db))
                guard gate.mayStart(dataVersion: try Self.dataVersion(db)) else { return (nil, gate) }
                let result = try db.checkpoint(.passive)
                gate.finished(
                    logFrames: result.walFrameCount, copiedFrames: result.checkpointedFrameCount, dataVersion: try Self.dataVersion(db))
                return (result, gate)
            }
        }
        gate = updated
        return result
    }

    /// Writes the database file's dirty pages to disk through a descriptor of its own: the kernel
    /// flushes the file whoever wrote the pages (`fdatasync`, as SQLite itself syncs on Linux).
    /// Since Linux 4.13 a write-back error seen here is still reported to SQLite's own sync.
    static func flush(path: String) throws {
        func failure() -> StoreError { .writeFailed(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure() }
        defer { close(descriptor) }
        guard fdatasync(descriptor) == 0 else { throw failure() }
    }

    /// At most this many frames (1 MiB) are left for the checkpoint that holds up the writer.
    static let writerCopyFrames = 256
}
