import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TraingateStore

/// Erasure on one instance takes the subject's key, and its bucket's old key, out of the memory
/// of every instance on the database, not only out of the database.
///
/// The erasure's transaction announces the subject's bucket (`announce`, delivered by
/// PostgreSQL when it commits); every instance listens on a connection of its own and drops the
/// bucket's key and the keys of every subject in that bucket (`SubjectKeyring.bucketKeys`,
/// `.cache`): about 1/4,096 of what it holds. The notice names no subject, not even by its
/// pseudonym: anyone who may connect may listen, and PostgreSQL queues notices on disk.
///
/// An instance that cannot be sure it heard everything (before its `LISTEN` took hold, or after
/// its connection failed or stopped answering) drops every cached key instead: the caches only
/// save time, and refill from the database.
public final class PostgresErasureNotices: Service, Sendable {
    /// The notification channel erasures announce on.
    static let channel = "traingate_erasure"

    private let location: PostgresLocation
    private let keyring: SubjectKeyring
    private let interval: Duration
    private let logger: Logger
    private let listening = Atomic<Bool>(false)
    private let heard = Atomic<Int>(0)
    private let sessionPID = Atomic<Int32>(0)

    /// - Parameter interval: how often the listening session is checked, and a lost one retried.
    public init(location: PostgresLocation, keyring: SubjectKeyring, interval: Duration = .seconds(1), logger: Logger) {
        self.location = location
        self.keyring = keyring
        self.interval = interval
        self.logger = logger
    }

    /// Whether a `LISTEN` holds now (the caches were emptied when it took hold).
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Erasure notices heard since start (this instance's own included).
    public var noticesHeard: Int { heard.load(ordering: .relaxed) }

    /// The PostgreSQL backend process of the listening session (0 before the first).
    public var listeningBackendPID: Int32 { sessionPID.load(ordering: .relaxed) }

    /// Inside the erasure's transaction: its notice goes out when (and only if) it commits.
    static func announce(bucket: Int32, on connection: PostgresConnection, logger: Logger) async throws {
        var binds = PostgresBindings()
        binds.append(channel)
        binds.append(String(bucket))
        _ = try await connection.query(PostgresQuery(unsafeSQL: "SELECT pg_notify($1, $2)", binds: binds), logger: logger).collect()
    }

    public func run() async throws {
        // Each failed attempt is logged at debug level; losing a session that listened, and
        // listening again, once each (not every second of an outage).
        await PostgresSessions.keep(
            interval: interval, logger: logger, level: .debug, what: "erasure notices",
            session: { try await self.listen(id: $0) },
            ended: {
                if self.listening.exchange(false, ordering: .acquiringAndReleasing) {
                    self.logger.warning("erasure notices: listening session lost; cached keys dropped until it is back")
                }
                // Erasures that committed while no one listened went unheard.
                self.keyring.forgetCachedKeys()
            })
    }

    /// One session: listens until the connection fails or stops answering.
    private func listen(id: Int) async throws {
        let connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(), id: id, logger: logger)
        defer { Task { try? await connection.close() } }
        sessionPID.store(
            try await connection.query("SELECT pg_backend_pid()", logger: logger).collect()[0].decode(Int32.self), ordering: .relaxed)
        try await connection.listen(on: Self.channel) { notices in
            // Erasures that committed before the LISTEN took hold were not heard.
            keyring.forgetCachedKeys()
            listening.store(true, ordering: .releasing)
            if id > 1 { logger.notice("erasure notices: listening again") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notice in notices { self.apply(notice.payload) }
                    throw PostgresSessions.SessionLost()
                }
                group.addTask { [interval, logger] in
                    while true {
                        try await Task.sleep(for: interval)
                        try await PostgresSessions.ping(connection, within: interval * 4, logger: logger)
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// Drops what the caches hold for the rotated bucket: its key and its subjects' keys.
    private func apply(_ payload: String) {
        guard let bucket = Int32(payload), (0..<PostgresSubjectKeys.bucketCount).contains(bucket) else {
            // Not a notice this version writes (another program on the channel): be safe.
            logger.warning("erasure notices: a notice that does not parse; cached keys dropped")
            keyring.forgetCachedKeys()
            return
        }
        keyring.bucketKeys.forget(bucket)
        keyring.cache.forget { PostgresSubjectKeys.bucket(ofHex: $0) == bucket }
        heard.add(1, ordering: .relaxed)
    }
}
