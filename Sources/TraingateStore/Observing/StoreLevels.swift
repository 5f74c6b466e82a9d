import GRDB

/// How full the store's queues are, read when metrics are scraped (not kept up to date on
/// every write: the hot path pays nothing for them).
public struct StoreLevels: Sendable, Equatable {
    /// Admitted images waiting in the training queue.
    public let queuedImages: Int
    /// Training jobs waiting to run.
    public let queuedJobs: Int
    /// The newest audit entry's sequence number (0 for an empty log).
    public let auditHeadSeq: Int64

    public init(queuedImages: Int, queuedJobs: Int, auditHeadSeq: Int64) {
        self.queuedImages = queuedImages
        self.queuedJobs = queuedJobs
        self.auditHeadSeq = auditHeadSeq
    }

    /// One read transaction, so the three agree with each other.
    public static func read(from database: AppDatabase) async throws -> StoreLevels {
        try await database.writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM queue_item) AS images,
                           (SELECT count(*) FROM training_job WHERE status = 'queued') AS jobs,
                           (SELECT coalesce(max(seq), 0) FROM audit_entry) AS head
                    """)
            return StoreLevels(queuedImages: row?["images"] ?? 0, queuedJobs: row?["jobs"] ?? 0, auditHeadSeq: row?["head"] ?? 0)
        }
    }
}
