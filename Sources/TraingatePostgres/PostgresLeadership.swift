import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// One leader among the instances on one database, for work that must run once (the trainer):
/// whoever holds a session-level advisory lock, on a connection of its own. PostgreSQL releases
/// the lock when that session ends, whether the instance stopped, crashed (its socket closes
/// with it) or lost the network (when the server notices the connection is dead), and another
/// instance takes it at its next try.
///
/// The leader checks its session every `interval`; one that finds it gone stops leading at
/// once. Work done under the lead should still be fenced (written only while its own row says
/// it is running), as a leader cut off from the database learns it last.
public final class PostgresLeadership: Service, Sendable {
    private let location: PostgresLocation
    private let lockKey: Int64
    private let interval: Duration
    private let logger: Logger
    private let leading = Atomic<Bool>(false)
    /// The backend process id of the session that holds (or tries for) the lock.
    private let sessionPID = Atomic<Int32>(0)
    private let changes: AsyncStream<Bool>.Continuation
    /// Each change of lead, as it happens (true: this instance leads now).
    public let leadership: AsyncStream<Bool>

    /// - Parameters:
    ///   - lockKey: the advisory lock's key: one per kind of work that must run once.
    ///   - interval: how often a follower tries to take the lead, and a leader checks it still has it.
    public init(location: PostgresLocation, lockKey: Int64, interval: Duration = .seconds(1), logger: Logger) {
        self.location = location
        self.lockKey = lockKey
        self.interval = interval
        self.logger = logger
        (leadership, changes) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .unbounded)
    }

    /// The lock key of the training lead: the one instance that runs training jobs.
    public static let trainingLockKey: Int64 = 0x7472_6169_6E69_6E67  // "training"

    /// Whether this instance leads now.
    public var isLeader: Bool { leading.load(ordering: .relaxed) }

    /// The PostgreSQL backend process of the session holding the lead while this instance
    /// leads: work done under the lead checks in its own transaction that this process still
    /// holds the lock (`pg_locks`), as the flag may lag a lost session by a few intervals.
    public var leaderBackendPID: Int32? {
        guard isLeader else { return nil }
        let pid = sessionPID.load(ordering: .relaxed)
        return pid == 0 ? nil : pid
    }

    public func run() async throws {
        // A lost session follows until the next one takes the lock.
        await PostgresSessions.keep(
            interval: interval, logger: logger, level: .debug, what: "training lead", session: { try await self.holdSession(id: $0) },
            ended: { self.setLeading(false) })
        changes.finish()
    }

    /// One session: tries for the lock every interval; once held, checks every interval that
    /// the session is alive. Returns (or throws) when the session ends.
    private func holdSession(id: Int) async throws {
        let connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(), id: id, logger: logger)
        do {
            // The server must notice a lead whose host died or whose network went away (no
            // socket close reaches it then) within seconds, not after the kernel's default
            // two hours of keepalive silence: the lock is released when it does.
            for setting in [
                "SET tcp_keepalives_idle = 5", "SET tcp_keepalives_interval = 1", "SET tcp_keepalives_count = 3", "SET tcp_user_timeout = 5000",
            ] {
                try await connection.query(PostgresQuery(unsafeSQL: setting), logger: logger)
            }
            let pid = try await connection.query("SELECT pg_backend_pid()", logger: logger).collect()[0].decode(Int32.self)
            sessionPID.store(pid, ordering: .relaxed)
        } catch {
            Task { try? await connection.close() }
            throw error
        }
        var binds = PostgresBindings()
        binds.append(lockKey)
        let tryLock = PostgresQuery(unsafeSQL: "SELECT pg_try_advisory_lock($1)", binds: binds)
        do {
            while true {
                if isLeader {
                    // No answer in time is a lost session too.
                    try await PostgresSessions.ping(connection, within: interval * 4, logger: logger)
                } else if try await connection.query(tryLock, logger: logger).collect()[0].decode(Bool.self) {
                    setLeading(true)
                }
                try await Task.sleep(for: interval)
            }
        } catch {
            // Stopping, or the session failed: closing it releases the lock for the others. The
            // close is not waited for: on a dead session it may never finish.
            setLeading(false)
            Task { try? await connection.close() }
            throw error
        }
    }

    private func setLeading(_ now: Bool) {
        guard leading.exchange(now, ordering: .relaxed) != now else { return }
        logger.notice(now ? "training lead taken: this instance runs training jobs" : "training lead given up")
        changes.yield(now)
    }
}
