import Foundation
import StrictDocuments

/// Training jobs and what they leave behind: SQLite's `TrainingStore` or PostgreSQL's
/// `PostgresTrainingStore`. HTTP handlers use the async methods; the training worker, on a
/// thread of its own, the synchronous ones (which block that thread, never Swift's pool). Every
/// start and end of a job is an audit entry, committed with the state change it records.
public protocol TrainingJobStore: Sendable {
    /// Queues a job, unless `maxQueued` jobs wait already (counted in the same transaction).
    /// - Throws: `StoreError` with code `.conflict` when the queue is full.
    func submit(parameters: JSONValue, at date: Date, apiKey: String?, maxQueued: Int) async throws -> TrainingJob
    func job(_ id: String) async throws -> TrainingJob?
    /// Jobs, newest first.
    func jobs(limit: Int) async throws -> [TrainingJob]
    /// Cancels a queued job at once; nil when unknown.
    func cancelIfQueued(_ id: String, at date: Date, by apiKey: String?) async throws -> (job: TrainingJob, cancelled: Bool)?
    /// Takes the oldest queued job and records its start, in one transaction; nil when none waits.
    func startNext(at date: Date) async throws -> TrainingJob?

    /// The queued images, oldest decision first, at most `limit`, each handed to `prepare` once.
    func snapshot<Input>(limit: Int, prepare: (QueuedImage, [UInt8]) throws -> Input) throws -> [(image: QueuedImage, input: Input)]
    /// Which of `admissionIDs` are still in the queue.
    func stillQueued(_ admissionIDs: [String]) throws -> Set<String>
    /// Grows whenever items leave the queue for a subject's sake.
    func queueRemovals() throws -> Int64
    func recordProgress(_ id: String, _ progress: TrainingProgress, images: Int) throws
    /// The job's success, its checkpoint, lineage and embeddings, and its audit entry, together.
    func succeed(_ job: TrainingJob, checkpoint: TrainedCheckpoint, at date: Date) throws
    /// A job that ends without a checkpoint (failed or cancelled), with its audit entry.
    func end(_ job: TrainingJob, status: TrainingJob.Status, error: String, at date: Date) throws
    /// Fails the jobs left running by a process that died; returns their ids.
    @discardableResult func failInterrupted(at date: Date) throws -> [String]
}

/// Embeddings as the API serves them: only of images still queued, only from the newest
/// succeeded checkpoint. SQLite's `EmbeddingStore` or PostgreSQL's `PostgresEmbeddingStore`.
public protocol EmbeddingReading: Sendable {
    func embedding(of admissionID: String) async throws -> (checkpointID: String, vector: [Float])?
    func newestCheckpoint() async throws -> StoredCheckpoint?
    func matrix(of checkpointID: String, dimension: Int) async throws -> (admissionIDs: [String], values: [Float])
}
