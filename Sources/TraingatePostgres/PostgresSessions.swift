import Logging
import PostgresNIO
import ServiceLifecycle

/// A service that holds one PostgreSQL session of its own at a time (the training lead's lock,
/// the erasure listener): runs `session` until it ends, then `ended`, and tries again after
/// `interval`, until the service stops.
enum PostgresSessions {
    /// - Parameter session: one session, given its attempt number as connection id; returns or
    ///   throws when the session is over. `ended` runs after each, whatever its outcome.
    static func keep(
        interval: Duration, logger: Logger, level: Logger.Level, what: String, session: @escaping @Sendable (Int) async throws -> Void,
        ended: @escaping @Sendable () -> Void
    ) async {
        await cancelWhenGracefulShutdown {
            var attempt = 0
            while !Task.isCancelled {
                attempt += 1
                do {
                    try await session(attempt)
                } catch {
                    // A connection that failed or was cut: try again.
                    if !Task.isCancelled { logger.log(level: level, "\(what): session ended", metadata: ["error": "\(error)"]) }
                }
                ended()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// The session stopped answering.
    struct SessionLost: Error {}

    /// Checks the session answers within `deadline` (a session the server ended can leave a
    /// query waiting for good: `PostgresDeadline`); throws `SessionLost` when it does not.
    static func ping(_ connection: PostgresConnection, within deadline: Duration, logger: Logger) async throws {
        let answered = try await PostgresDeadline.answers(within: deadline) {
            _ = try await connection.query("SELECT 1", logger: logger).collect()
        }
        guard answered else { throw SessionLost() }
    }
}
