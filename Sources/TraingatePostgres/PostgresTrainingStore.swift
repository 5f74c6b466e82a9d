import Foundation
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// Training jobs on PostgreSQL (SQLite's is `TrainingStore`). Every change that appends an
/// audit entry locks the chain head first, as every writer does. The worker's synchronous
/// methods block its own thread on the async client (`PostgresBlocking`).
public struct PostgresTrainingStore: TrainingJobStore {
    let store: PostgresStore
    /// The training lead this instance runs jobs under, if several instances share the store:
    /// jobs are started, and interrupted ones failed, only in a transaction that sees its
    /// session hold the lock.
    let lead: PostgresLeadership?
    /// Open the stored copies the snapshot reads.
    let keys: PostgresSubjectKeys
    /// Images the snapshot reads per round trip: its memory holds this many stored copies at most.
    static let snapshotPage = 64

    public init(store: PostgresStore, keyring: SubjectKeyring, lead: PostgresLeadership? = nil) {
        self.store = store
        keys = PostgresSubjectKeys(keyring: keyring)
        self.lead = lead
    }

    /// Whether this instance's lead session holds the lead's lock now (true without a lead).
    private func holdsLead(on connection: PostgresConnection) async throws -> Bool {
        guard let lead else { return true }
        guard let pid = lead.leaderBackendPID else { return false }
        return try await connection.query(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = \(pid))", logger: logger
        ).collect()[0].decode(Bool.self)
    }

    var logger: Logger { store.logger }

    // MARK: - Jobs, from HTTP

    public func submit(parameters: JSONValue, at date: Date, apiKey: String?, maxQueued: Int) async throws -> TrainingJob {
        try await store.transaction { [logger] connection in
            // Every submitter of every instance counts under the same lock, so a bound holds.
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            let waiting = try await connection.query("SELECT count(*) FROM training_job WHERE status = 'queued'", logger: logger)
                .collect()[0].decode(Int64.self)
            guard waiting < maxQueued else {
                throw StoreError.conflict(
                    "\(waiting) training jobs are queued already (training.max_queued_jobs); wait for one to finish or cancel one")
            }
            let id = RecordID.make("job")
            var binds = PostgresBindings()
            binds.append(id)
            binds.append(JSONText.encode(parameters))
            binds.append(Timestamp.format(date))
            binds.append(apiKey)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO training_job (id, status, parameters, created_at, api_key) VALUES ($1, 'queued', $2, $3, $4)",
                    binds: binds), logger: logger)
            return try await Self.job(id, on: connection, logger: logger)!
        }
    }

    public func job(_ id: String) async throws -> TrainingJob? {
        var binds = PostgresBindings()
        binds.append(id)
        return try await PostgresTrainingJobRow.decode(
            try await store.openClient().query(
                PostgresQuery(unsafeSQL: PostgresTrainingJobRow.select + " WHERE j.id = $1", binds: binds), logger: logger)
        ).first
    }

    public func jobs(limit: Int) async throws -> [TrainingJob] {
        var binds = PostgresBindings()
        binds.append(Int64(limit))
        return try await PostgresTrainingJobRow.decode(
            try await store.openClient().query(
                PostgresQuery(unsafeSQL: PostgresTrainingJobRow.select + " ORDER BY j.position DESC LIMIT $1", binds: binds), logger: logger))
    }

    public func cancelIfQueued(_ id: String, at date: Date, by apiKey: String?) async throws -> (job: TrainingJob, cancelled: Bool)? {
        try await store.transaction { [logger] connection in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            guard var job = try await Self.job(id, on: connection, logger: logger) else { return nil }
            guard job.status == .queued else { return (job, false) }
            job.status = .cancelled
            job.cancelledBy = apiKey
            job.finishedAt = Timestamp.format(date)
            job.error = "cancelled before it started"
            try await Self.finish(job, event: "cancelled", from: .queued, texts: store.committedTexts, on: connection, logger: logger)
            return (job, true)
        }
    }

    public func startNext(at date: Date) async throws -> TrainingJob? {
        // The lead looks every second; only a queued job is worth the chain head's lock.
        let waiting = try await store.openClient().query("SELECT EXISTS (SELECT 1 FROM training_job WHERE status = 'queued')", logger: logger)
            .collect()[0].decode(Bool.self)
        guard waiting else { return nil }
        return try await store.transaction { [logger] connection -> TrainingJob? in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            guard try await holdsLead(on: connection) else { return nil }
            guard
                var job = try await PostgresTrainingJobRow.decode(
                    try await connection.query(
                        PostgresQuery(unsafeSQL: PostgresTrainingJobRow.select + " WHERE j.status = 'queued' ORDER BY j.position LIMIT 1"),
                        logger: logger)
                ).first
            else { return nil }
            job.status = .running
            job.startedAt = Timestamp.format(date)
            var binds = PostgresBindings()
            binds.append(job.startedAt)
            binds.append(job.id)
            try await connection.query(
                PostgresQuery(unsafeSQL: "UPDATE training_job SET status = 'running', started_at = $1 WHERE id = $2", binds: binds),
                logger: logger)
            _ = try await PostgresAuditChain.append(
                texts: store.committedTexts, [job.startRecord(at: job.startedAt!)], on: connection, logger: logger)
            return job
        }
    }

    // MARK: - Jobs, from the training thread

    /// Read a page at a time (`snapshotPage` copies in memory at most), each page after the last
    /// decision seen; an item that leaves the queue meanwhile is caught by the job's re-checks.
    public func snapshot<Input>(limit: Int, prepare: (QueuedImage, [UInt8]) throws -> Input) throws -> [(image: QueuedImage, input: Input)] {
        var snapshot: [(image: QueuedImage, input: Input)] = []
        var after: Int64 = 0
        while snapshot.count < limit {
            let pageSize = Int64(min(Self.snapshotPage, limit - snapshot.count))
            let page = try PostgresBlocking.run { [store, logger, keys, after] in
                var binds = PostgresBindings()
                binds.append(after)
                binds.append(pageSize)
                let rows = try await store.openClient().query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT a.audit_seq, q.admission_id, k.version, i.sha256, \(PostgresStoredCopy.columns) FROM queue_item q
                            JOIN admission a ON a.id = q.admission_id JOIN audit_entry e ON e.seq = a.audit_seq
                            LEFT JOIN known_policy_version k ON k.id = e.policy_version JOIN image i ON i.sha256 = q.image_sha256
                            \(PostgresStoredCopy.joined)
                            WHERE a.audit_seq > $1 ORDER BY a.audit_seq LIMIT $2
                            """, binds: binds), logger: logger)
                var page: [(seq: Int64, image: QueuedImage, bytes: [UInt8])] = []
                for try await (seq, admissionID, policyVersion, sha256, sealed, sealedBy, wrapped, bucket, bucketWrapped) in rows.decode(
                    (Int64, String, String?, String, ByteBuffer, ByteBuffer, ByteBuffer?, Int32?, ByteBuffer?).self)
                {
                    let bytes = try PostgresStoredCopy.open((sealed, sealedBy, wrapped, bucket, bucketWrapped), sha256: sha256, keys: keys)
                    page.append((seq, QueuedImage(admissionID: admissionID, policyVersion: policyVersion ?? "", imageSHA256: sha256), bytes))
                }
                return page
            }
            for item in page { snapshot.append((item.image, try prepare(item.image, item.bytes))) }
            guard let last = page.last, page.count == pageSize else { break }
            after = last.seq
        }
        return snapshot
    }

    public func stillQueued(_ admissionIDs: [String]) throws -> Set<String> {
        try PostgresBlocking.run { [store, logger] in
            var binds = PostgresBindings()
            binds.append(admissionIDs)
            var kept = Set<String>()
            let rows = try await store.openClient().query(
                PostgresQuery(unsafeSQL: "SELECT admission_id FROM queue_item WHERE admission_id = ANY($1::text[])", binds: binds), logger: logger)
            for try await id in rows.decode(String.self) { kept.insert(id) }
            return kept
        }
    }

    public func queueRemovals() throws -> Int64 {
        try PostgresBlocking.run { [store, logger] in
            try await store.openClient().query("SELECT generation FROM queue_removals", logger: logger).collect().first?.decode(Int64.self) ?? 0
        }
    }

    public func recordProgress(_ id: String, _ progress: TrainingProgress, images: Int) throws {
        try PostgresBlocking.run { [store, logger] in
            var binds = PostgresBindings()
            binds.append(Int32(progress.epoch))
            binds.append(Int32(progress.step))
            binds.append(Int32(progress.totalSteps))
            binds.append(progress.loss)
            binds.append(Int32(images))
            binds.append(id)
            _ = try await store.openClient().query(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE training_job SET epoch = $1, step = $2, total_steps = $3, loss = $4, images = $5
                        WHERE id = $6 AND status = 'running'
                        """,
                    binds: binds), logger: logger)
        }
    }

    public func succeed(_ job: TrainingJob, checkpoint: TrainedCheckpoint, at date: Date) throws {
        try PostgresBlocking.run { [store, logger] in
            try await store.transaction { connection in
                _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
                try await PostgresCheckpointWriter.insert(checkpoint, of: job, at: Timestamp.format(date), on: connection, logger: logger)
                var finished = job
                finished.status = .succeeded
                finished.finishedAt = Timestamp.format(date)
                finished.checkpointID = checkpoint.id
                finished.images = checkpoint.lineage.count
                try await Self.finish(finished, event: "succeeded", texts: store.committedTexts, on: connection, logger: logger)
            }
        }
    }

    public func end(_ job: TrainingJob, status: TrainingJob.Status, error: String, at date: Date) throws {
        precondition(status == .failed || status == .cancelled, "use succeed(_:checkpoint:at:)")
        try PostgresBlocking.run { [store, logger] in
            try await store.transaction { connection in
                _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
                var ended = job
                ended.status = status
                ended.error = error
                ended.finishedAt = Timestamp.format(date)
                try await Self.finish(ended, event: status.rawValue, texts: store.committedTexts, on: connection, logger: logger)
            }
        }
    }

    /// In a multi-instance deployment only the instance that holds the training lead, idle,
    /// calls this (and it fails nothing unless its session holds the lock in this transaction),
    /// so a job another instance is running is never failed under it.
    @discardableResult
    public func failInterrupted(at date: Date) throws -> [String] {
        try PostgresBlocking.run { [store, logger] in
            try await store.transaction { connection in
                _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
                guard try await holdsLead(on: connection) else { return [] }
                let jobs = try await PostgresTrainingJobRow.decode(
                    try await connection.query(
                        PostgresQuery(unsafeSQL: PostgresTrainingJobRow.select + " WHERE j.status = 'running' ORDER BY j.position"),
                        logger: logger))
                for var job in jobs {
                    job.status = .failed
                    job.finishedAt = Timestamp.format(date)
                    job.error = "the service stopped while this job was running (started \(job.startedAt ?? "?")); submit it again"
                    try await Self.finish(job, event: "failed", texts: store.committedTexts, on: connection, logger: logger)
                }
                return jobs.map(\.id)
            }
        }
    }

    // MARK: - SQL

    private static func job(_ id: String, on connection: PostgresConnection, logger: Logger) async throws -> TrainingJob? {
        var binds = PostgresBindings()
        binds.append(id)
        return try await PostgresTrainingJobRow.decode(
            try await connection.query(PostgresQuery(unsafeSQL: PostgresTrainingJobRow.select + " WHERE j.id = $1", binds: binds), logger: logger)
        ).first
    }

    /// Writes a finished job's row and appends the audit entry for its end, if the row still
    /// has the status the caller read (`from`). This fences a deposed training lead: a job the
    /// new lead failed as interrupted is not then ended again by the old one, whose transaction
    /// (checkpoint and all) rolls back.
    /// - Throws: `StoreError.conflict` when the row moved on.
    private static func finish(
        _ job: TrainingJob, event: String, from status: TrainingJob.Status = .running, texts: PostgresCommittedTexts,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        var binds = PostgresBindings()
        binds.append(job.status.rawValue)
        binds.append(Int32(job.progress.epoch))
        binds.append(Int32(job.progress.step))
        binds.append(Int32(job.progress.totalSteps))
        binds.append(job.progress.loss)
        binds.append(Int32(job.images))
        binds.append(job.finishedAt)
        binds.append(job.checkpointID)
        binds.append(job.error)
        binds.append(job.id)
        binds.append(status.rawValue)
        let updated = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE training_job SET status = $1, epoch = $2, step = $3, total_steps = $4, loss = $5, images = $6,
                        finished_at = $7, checkpoint_id = $8, error = $9 WHERE id = $10 AND status = $11 RETURNING id
                    """, binds: binds), logger: logger
        ).collect()
        guard !updated.isEmpty else {
            throw StoreError.conflict("training job \(job.id) is no longer \(status.rawValue): another instance ended it")
        }
        _ = try await PostgresAuditChain.append(texts: texts, [job.endRecord(event: event)], on: connection, logger: logger)
    }
}
