import Foundation
import GRDB
import StrictDocuments

/// Training jobs and what they leave behind. HTTP handlers use the async methods; the training
/// worker, which runs on a thread of its own, uses the synchronous ones. Every start and end of
/// a job is an audit entry, committed with the state change it records.
public struct TrainingStore: TrainingJobStore {
    private let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    // MARK: - Jobs, from HTTP

    /// Queues a job behind every job submitted before it.
    /// Queues a job, unless `maxQueued` jobs are waiting already (counted in the same
    /// transaction, so concurrent submissions cannot overshoot).
    /// - Throws: `StoreError` with code `.conflict` when the queue is full.
    public func submit(parameters: JSONValue, at date: Date, apiKey: String? = nil, maxQueued: Int = .max) async throws -> TrainingJob {
        let at = Timestamp.format(date)  // as the rows store it
        return try await database.write { db in
            let waiting = try Int.fetchOne(db, sql: "SELECT count(*) FROM training_job WHERE status = 'queued'") ?? 0
            guard waiting < maxQueued else {
                throw StoreError.conflict(
                    "\(waiting) training jobs are queued already (training.max_queued_jobs); wait for one to finish or cancel one")
            }
            let id = RecordID.make("job")
            let position = (try Int.fetchOne(db, sql: "SELECT max(position) FROM training_job") ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO training_job (id, position, status, parameters, created_at, api_key) VALUES (?, ?, 'queued', ?, ?, ?)",
                arguments: [id, position, JSONText.encode(parameters), at, apiKey])
            return try Self.job(id, in: db)!
        }
    }

    public func job(_ id: String) async throws -> TrainingJob? {
        try await database.writer.read { db in try Self.job(id, in: db) }
    }

    /// Jobs, newest first.
    public func jobs(limit: Int = 1000) async throws -> [TrainingJob] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: TrainingJob.selectSQL + " ORDER BY position DESC LIMIT ?", arguments: [limit])
                .map(TrainingJob.init(row:))
        }
    }

    /// Cancels a queued job at once (it never starts). A running job is left to the worker,
    /// which stops it at the next step boundary; a finished one is returned as it is.
    /// - Returns: the job after the call, and whether this call cancelled it; nil when unknown.
    public func cancelIfQueued(_ id: String, at date: Date, by apiKey: String? = nil) async throws -> (job: TrainingJob, cancelled: Bool)? {
        let at = Timestamp.format(date)  // as the rows store it
        return try await database.write { db in
            guard var job = try Self.job(id, in: db) else { return nil }
            guard job.status == .queued else { return (job, false) }
            job.status = .cancelled
            job.cancelledBy = apiKey
            job.finishedAt = at
            job.error = "cancelled before it started"
            try Self.finish(job, event: "cancelled", in: db)
            return (job, true)
        }
    }

    /// Takes the oldest queued job: marks it running and records its start, in one transaction
    /// (a cancel cannot slip in between). Nil when nothing is queued.
    public func startNext(at date: Date) async throws -> TrainingJob? {
        let at = Timestamp.format(date)  // as the rows store it
        return try await database.write { db in
            guard
                var job = try Row.fetchOne(db, sql: TrainingJob.selectSQL + " WHERE status = 'queued' ORDER BY position LIMIT 1")
                    .map(TrainingJob.init(row:))
            else { return nil }
            job.status = .running
            job.startedAt = at
            try db.execute(sql: "UPDATE training_job SET status = 'running', started_at = ? WHERE id = ?", arguments: [at, job.id])
            _ = try AuditLog.append(job.startRecord(at: at), in: db)
            return job
        }
    }

    // MARK: - Jobs, from the training thread

    /// The queued images, oldest first (by the order their decisions were logged), at most
    /// `limit`: the job's snapshot. Each stored copy is read from a cursor and handed to
    /// `prepare` once; only what `prepare` returns is kept, not the bytes.
    public func snapshot<Input>(limit: Int, prepare: (QueuedImage, [UInt8]) throws -> Input) throws -> [(image: QueuedImage, input: Input)] {
        try database.writer.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT q.admission_id, \(CompactColumns.policyVersion("e.policy_version")), i.sha256, i.bytes FROM queue_item q
                    JOIN admission a ON a.id = q.admission_id JOIN audit_entry e ON e.seq = a.audit_seq
                    JOIN image i ON i.sha256 = q.image_sha256
                    ORDER BY a.audit_seq LIMIT ?
                    """, arguments: [limit])
            var snapshot: [(image: QueuedImage, input: Input)] = []
            while let row = try rows.next() {
                let image = QueuedImage(admissionID: row[0], policyVersion: row[1], imageSHA256: row[2])
                snapshot.append((image, try prepare(image, Array(row[3] as Data))))
            }
            return snapshot
        }
    }

    /// Which of `admissionIDs` are still admissible: still in the queue (an item leaves it when
    /// its admission is superseded by a rejection, its subject objects, or it is erased).
    public func stillQueued(_ admissionIDs: [String]) throws -> Set<String> {
        try database.writer.read { db in
            var kept = Set<String>()
            for chunk in IDChunks(ids: admissionIDs) {
                kept.formUnion(
                    try String.fetchAll(
                        db, sql: "SELECT admission_id FROM queue_item WHERE admission_id IN (\(chunk.placeholders))",
                        arguments: chunk.arguments))
            }
            return kept
        }
    }

    /// A number that grows whenever an objection, a consent withdrawal or an erasure takes items
    /// out of the queue: a running job re-checks its snapshot when it changes.
    public func queueRemovals() throws -> Int64 {
        try database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT generation FROM queue_removals WHERE id = 1") ?? 0 }
    }

    public func recordProgress(_ id: String, _ progress: TrainingProgress, images: Int) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE training_job SET epoch = ?, step = ?, total_steps = ?, loss = ?, images = ? WHERE id = ?",
                arguments: [progress.epoch, progress.step, progress.totalSteps, progress.loss, images, id])
        }
    }

    /// The job's success, its checkpoint, lineage and embeddings, and the audit entry: one
    /// transaction, so a crash leaves either all of it or a running job (failed at restart).
    public func succeed(_ job: TrainingJob, checkpoint: TrainedCheckpoint, at date: Date) throws {
        let at = Timestamp.format(date)  // as the rows store it
        return try database.write { db in
            let policyVersions = Array(Set(checkpoint.lineage.map(\.policyVersion))).sorted()
            try db.execute(
                sql: """
                    INSERT INTO checkpoint (id, job_id, created_at, format, parameters, weights, embedding_dim, images, policy_versions)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    checkpoint.id, job.id, at, checkpoint.format, JSONText.encode(checkpoint.parameters), Data(checkpoint.weights),
                    checkpoint.embeddingDimension, checkpoint.lineage.count,
                    JSONText.encode(.array(policyVersions.map(JSONValue.string))),
                ])
            let lineage = try db.makeStatement(
                sql: "INSERT INTO checkpoint_lineage (checkpoint_id, admission_id, image_sha256, policy_version, epochs) VALUES (?, ?, ?, ?, ?)")
            for item in checkpoint.lineage {
                try lineage.execute(arguments: [checkpoint.id, item.admissionID, item.imageSHA256, item.policyVersion, item.epochs])
            }
            // Lineage flags: items erased or objected to while the job ran are in its lineage
            // already (it trained on them before it learnt); the checkpoint says so from the start.
            try db.execute(
                sql: """
                    UPDATE checkpoint SET
                        erased_items = (SELECT count(*) FROM checkpoint_lineage l JOIN admission a ON a.id = l.admission_id
                            WHERE l.checkpoint_id = ?1 AND a.erased_at IS NOT NULL),
                        objected_items = (SELECT count(*) FROM checkpoint_lineage l JOIN admission a ON a.id = l.admission_id
                            WHERE l.checkpoint_id = ?1 AND a.subject_ref IN (SELECT subject_ref FROM objection))
                    WHERE id = ?1
                    """, arguments: [checkpoint.id])
            // Only for images still queued at commit: an erasure or objection that committed
            // after the job's last re-check must not be undone by its embeddings.
            let embedding = try db.makeStatement(
                sql: """
                    INSERT INTO embedding (admission_id, checkpoint_id, vector)
                    SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM queue_item WHERE admission_id = ?)
                    """)
            for item in checkpoint.embeddings {
                try embedding.execute(arguments: [item.admissionID, checkpoint.id, FloatBlob.encode(item.vector), item.admissionID])
            }
            var finished = job
            finished.status = .succeeded
            finished.finishedAt = at
            finished.checkpointID = checkpoint.id
            finished.images = checkpoint.lineage.count
            try Self.finish(finished, event: "succeeded", in: db)
        }
    }

    /// A job that ends without a checkpoint (failed or cancelled), with its audit entry.
    public func end(_ job: TrainingJob, status: TrainingJob.Status, error: String, at date: Date) throws {
        let at = Timestamp.format(date)  // as the rows store it
        precondition(status == .failed || status == .cancelled, "use succeed(_:checkpoint:at:)")
        try database.write { db in
            var ended = job
            ended.status = status
            ended.error = error
            ended.finishedAt = at
            try Self.finish(ended, event: status.rawValue, in: db)
        }
    }

    /// At start-up: a job still `running` was cut off by the process dying. It is failed, with
    /// an audit entry, and nothing it did is kept (its checkpoint would have committed with its end).
    /// - Returns: the jobs failed.
    @discardableResult
    public func failInterrupted(at date: Date) throws -> [String] {
        let at = Timestamp.format(date)  // as the rows store it
        return try database.write { db in
            let jobs = try Row.fetchAll(db, sql: TrainingJob.selectSQL + " WHERE status = 'running' ORDER BY position")
                .map(TrainingJob.init(row:))
            for var job in jobs {
                job.status = .failed
                job.finishedAt = at
                job.error = "the service stopped while this job was running (started \(job.startedAt ?? "?")); submit it again"
                try Self.finish(job, event: "failed", in: db)
            }
            return jobs.map(\.id)
        }
    }

    // MARK: - SQL

    static func job(_ id: String, in db: Database) throws -> TrainingJob? {
        try Row.fetchOne(db, sql: TrainingJob.selectSQL + " WHERE id = ?", arguments: [id]).map(TrainingJob.init(row:))
    }

    /// Writes a finished job's row and appends the audit entry for its end.
    private static func finish(_ job: TrainingJob, event: String, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE training_job SET status = ?, epoch = ?, step = ?, total_steps = ?, loss = ?, images = ?,
                    finished_at = ?, checkpoint_id = ?, error = ? WHERE id = ?
                """,
            arguments: [
                job.status.rawValue, job.progress.epoch, job.progress.step, job.progress.totalSteps, job.progress.loss, job.images,
                job.finishedAt, job.checkpointID, job.error, job.id,
            ])
        _ = try AuditLog.append(job.endRecord(event: event), in: db)
    }
}
