import GRDB
import ServiceLifecycle
import Synchronization

/// Group commit: write jobs submitted concurrently share one SQLite transaction (and so one
/// fsync), and each submitter resumes only after that transaction has committed.
///
/// Each job runs in its own savepoint, so a job that throws rolls back alone; if the commit
/// itself fails, every job of the batch fails with `StoreError.writeFailed` and nothing of it
/// is kept. Runs as a `Service`: on graceful shutdown it stops accepting jobs, finishes the
/// ones already submitted, and returns.
public final class GroupCommitWriter: Service, Sendable {
    private struct Job: Sendable {
        let work: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var pending: [Job] = []
        var accepting = true
    }

    private let writer: any DatabaseWriter
    private let maxBatchSize: Int
    private let maxPendingJobs: Int
    private let state = Mutex(State())
    private let transactions = Atomic<Int>(0)
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - writer: the database to write to.
    ///   - maxBatchSize: the most jobs one transaction takes; bounds the latency a job can add to others.
    ///   - maxPendingJobs: the most jobs waiting for a transaction; beyond it submissions fail at
    ///     once with `StoreError.overloaded` instead of queueing without bound.
    public init(writer: any DatabaseWriter, maxBatchSize: Int = 512, maxPendingJobs: Int = 10_000) {
        self.writer = writer
        self.maxBatchSize = maxBatchSize
        self.maxPendingJobs = maxPendingJobs
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Transactions committed so far; with concurrent submitters this stays well below the job count.
    public var committedTransactions: Int { transactions.load(ordering: .relaxed) }

    /// Runs `work` inside the next group transaction and returns its result once that transaction is durable.
    /// - Throws: the job's own error, `StoreError.writeFailed` when the commit fails,
    ///   `StoreError.overloaded` when too many jobs wait, or `StoreError.unavailable` after shutdown began.
    public func submit<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let job = Job(work: { try work($0) }, continuation: continuation)
            let refusal = state.withLock { state -> StoreError? in
                guard state.accepting else { return .unavailable }
                guard state.pending.count < maxPendingJobs else { return .overloaded }
                state.pending.append(job)
                return nil
            }
            if let refusal { continuation.resume(throwing: refusal) } else { wake.yield() }
        }
        return value as! T  // the job closure above returns exactly a T
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wakeups { await drain() }
            await drain()
        } onGracefulShutdown: {
            self.stopAccepting()
        }
        stopAccepting()
        await drain()
    }

    private func stopAccepting() {
        state.withLock { $0.accepting = false }
        wake.finish()
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let count = min(state.pending.count, maxBatchSize)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    /// A job of an optimistic batch threw: the batch is rolled back and run again job by job.
    private struct JobFailed: Error {}

    private func commit(_ batch: [Job]) async {
        let works = batch.map(\.work)
        let results: [Result<any Sendable, any Error>]
        do {
            do {
                // Optimistic: no savepoint per job (two statements each, a quarter of an
                // append's cost). Jobs only touch the database, so if one throws, rolling the
                // whole transaction back and running the batch again with savepoints is exact.
                results = try await writer.write { db in
                    try works.map { work in
                        do { return .success(try work(db)) } catch { throw JobFailed() }
                    }
                }
            } catch is JobFailed {
                results = try await writer.write { db in works.map { work in Self.runIsolated(work, in: db) } }
            }
        } catch {
            for job in batch { job.continuation.resume(throwing: StoreError.writeFailed(error)) }
            return
        }
        transactions.add(1, ordering: .relaxed)
        for (job, result) in zip(batch, results) { job.continuation.resume(with: result) }
    }

    /// One job in a savepoint of its own, so that its failure leaves the others' writes alone.
    private static func runIsolated(_ work: (Database) throws -> any Sendable, in db: Database) -> Result<any Sendable, any Error> {
        var result: Result<any Sendable, any Error> = .failure(StoreError.unavailable)
        do {
            try db.inSavepoint {
                result = .success(try work(db))
                return .commit
            }
        } catch let error as DatabaseError {
            // SQLite refused this job's writes (constraint, I/O, full disk): the job is rolled
            // back and reported as a storage failure, never as a decision.
            result = .failure(StoreError.writeFailed(error))
        } catch {
            result = .failure(error)
        }
        return result
    }
}
