import NIOCore
import PostgresNIO

/// The training queue's changes for a subject's sake, inside the caller's transaction.
enum PostgresQueue {
    /// Takes every queued item of the subject out of the queue (an objection, a withdrawal of
    /// consent, an erasure) and tells running jobs to re-check (`queue_removals`). Returns how
    /// many left.
    static func dequeueAll(lookup: ByteBuffer, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var binds = PostgresBindings()
        binds.append(lookup)
        let removed = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    DELETE FROM queue_item q USING admission a WHERE q.admission_id = a.id AND a.subject_ref = $1
                    RETURNING q.admission_id
                    """, binds: binds), logger: logger
        ).collect().count
        try await connection.query(
            PostgresQuery(unsafeSQL: "UPDATE admission SET queued = false WHERE subject_ref = $1 AND queued", binds: binds), logger: logger)
        if removed > 0 { try await bumpRemovals(on: connection, logger: logger) }
        return removed
    }

    /// Tells running training jobs that items left the queue: they re-check at their next step.
    static func bumpRemovals(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE queue_removals SET generation = generation + 1", logger: logger)
    }
}
