import Dispatch
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization

/// Group commit: write jobs submitted concurrently share one SQLite transaction (and so one
/// fsync), and each submitter resumes only after that transaction has committed.
///
/// A job that throws rolls back alone (its batch is then replayed with a savepoint per job); if
/// the commit itself fails, every job of the batch fails with `StoreError.writeFailed` and
/// nothing of it is kept. Runs as a `Service`: on graceful shutdown it stops accepting jobs,
/// finishes the ones already submitted, and returns.
///
/// Transactions run on a thread of their own (`tg-writer`) that calls GRDB synchronously: the
/// writer is one serial loop either way, and a plain thread that sleeps on a semaphore only when
/// nothing is pending costs at most one wake-up per batch (none while busy), where an async loop
/// paid task hops to and from GRDB's queue for every transaction (docs/benchmarks.md, "Admissions").
public final class GroupCommitWriter: Service, Sendable {
    private struct Job: Sendable {
        let work: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var pending: [Job] = []
        var accepting = true
        /// The writer thread waits (or is about to wait) on `wakeup`; the next submitter, or
        /// `stopAccepting`, signals it.
        var writerSleeping = false

        /// Whether the writer was asleep; whoever learns it must signal `wakeup`, exactly once.
        mutating func wakeWriter() -> Bool {
            defer { writerSleeping = false }
            return writerSleeping
        }
    }

    private let writer: any DatabaseWriter
    private let maxBatchSize: Int
    private let maxPendingJobs: Int
    private let state = Mutex(State())
    private let transactions = Atomic<Int>(0)
    private let wakeup = DispatchSemaphore(value: 0)
    private let logger: Logger?
    private let observer: (any StorageObserver)?
    /// The failure writes are failing with, and how many jobs it failed, until a write succeeds.
    private let failure = Mutex<(cause: String, failedJobs: Int)?>(nil)

    /// - Parameters:
    ///   - writer: the database to write to.
    ///   - maxBatchSize: the most jobs one transaction takes; bounds the latency a job can add to others.
    ///   - maxPendingJobs: the most jobs waiting for a transaction; beyond it submissions fail at
    ///     once with `StoreError.overloaded` instead of queueing without bound.
    ///   - logger: where a storage failure is reported when it starts and when it ends (never
    ///     once per failed write: a full disk fails every admission until it is fixed).
    ///   - observer: told each commit's size and time, and each failure's kind (metrics).
    public init(
        writer: any DatabaseWriter, maxBatchSize: Int = 512, maxPendingJobs: Int = 10_000, logger: Logger? = nil,
        observer: (any StorageObserver)? = nil
    ) {
        self.writer = writer
        self.maxBatchSize = maxBatchSize
        self.maxPendingJobs = maxPendingJobs
        self.logger = logger
        self.observer = observer
    }

    /// Jobs waiting for a transaction.
    var pendingJobs: Int { state.withLock { $0.pending.count } }

    /// Transactions committed so far; with concurrent submitters this stays well below the job count.
    public var committedTransactions: Int { transactions.load(ordering: .relaxed) }

    /// Runs `work` inside the next group transaction and returns its result once that transaction is durable.
    /// - Throws: the job's own error, `StoreError.writeFailed` when the commit fails,
    ///   `StoreError.overloaded` when too many jobs wait, or `StoreError.unavailable` after shutdown began.
    public func submit<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let job = Job(work: { try work($0) }, continuation: continuation)
            let outcome = state.withLock { state -> Result<Bool, StoreError> in
                guard state.accepting else { return .failure(.unavailable) }
                guard state.pending.count < maxPendingJobs else { return .failure(.overloaded) }
                state.pending.append(job)
                return .success(state.wakeWriter())
            }
            switch outcome {
            case .failure(let refusal): continuation.resume(throwing: refusal)
            case .success(let writerWasSleeping): if writerWasSleeping { wakeup.signal() }
            }
        }
        return value as! T  // the job closure above returns exactly a T
    }

    /// Writes on the writer thread until shutdown (graceful, or the task's cancellation), then
    /// commits what was already submitted and returns.
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
                    let thread = Thread { [self] in
                        // Named from inside: Linux names the running thread (`ps -L`, `perf`).
                        Thread.current.name = "tg-writer"
                        writeLoop()
                        finished.resume()
                    }
                    thread.start()
                }
            } onGracefulShutdown: {
                self.stopAccepting()
            }
        } onCancel: {
            self.stopAccepting()
        }
    }

    private func stopAccepting() {
        let writerWasSleeping = state.withLock { state in
            state.accepting = false
            return state.wakeWriter()
        }
        if writerWasSleeping { wakeup.signal() }
    }

    /// Takes up to `maxBatchSize` pending jobs and commits them together; sleeps while nothing is
    /// pending; returns once shutdown began and nothing is left.
    private func writeLoop() {
        while true {
            let next = state.withLock { state -> (batch: [Job], finished: Bool) in
                guard !state.pending.isEmpty else {
                    state.writerSleeping = state.accepting
                    return ([], !state.accepting)
                }
                let count = min(state.pending.count, maxBatchSize)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return (batch, false)
            }
            if next.finished { return }
            if next.batch.isEmpty {
                wakeup.wait()
                continue
            }
            commit(next.batch)
        }
    }

    /// A job of an optimistic batch threw: the batch is rolled back and run again job by job.
    private struct JobFailed: Error {}

    private func commit(_ batch: [Job]) {
        let works = batch.map(\.work)
        let results: [Result<any Sendable, any Error>]
        let started = ContinuousClock.now
        do {
            do {
                // Optimistic: no savepoint per job (two statements each, a quarter of an
                // append's cost). Jobs only touch the database, so if one throws, rolling the
                // whole transaction back and running the batch again with savepoints is exact.
                results = try writer.write { db in
                    try works.map { work in
                        do { return .success(try work(db)) } catch { throw JobFailed() }
                    }
                }
            } catch is JobFailed {
                results = try writer.write { db in works.map { work in Self.runIsolated(work, in: db) } }
            }
        } catch {
            observer?.failed(.commit, jobs: batch.count, kind: StorageFailureKind(error))
            noteStorage(failedJobs: batch.count, cause: error, succeeded: false)
            for job in batch { job.continuation.resume(throwing: StoreError.writeFailed(error)) }
            return
        }
        transactions.add(1, ordering: .relaxed)
        observer?.committed(jobs: batch.count, duration: ContinuousClock.now - started)
        // Jobs the isolated rerun refused with a storage error (a full disk mid-statement).
        let refused = results.compactMap { result -> StoreError? in
            guard case .failure(let error as StoreError) = result, error.code == .writeFailed else { return nil }
            return error
        }
        for error in refused { observer?.failed(.commit, jobs: 1, kind: StorageFailureKind(error)) }
        noteStorage(failedJobs: refused.count, cause: refused.first, succeeded: refused.count < results.count)
        for (job, result) in zip(batch, results) { job.continuation.resume(with: result) }
    }

    /// Logs a storage failure when it starts (or its cause changes) and when writes succeed
    /// again, with how many jobs it refused meanwhile.
    private func noteStorage(failedJobs: Int, cause: (any Error)?, succeeded: Bool) {
        guard let logger else { return }
        // The cause is SQLite's result code when there is one: the error text names the failing
        // statement, which changes from job to job while the cause (a full disk) does not.
        let description = cause.map { error -> String in
            let text = "\(error)"
            return text.range(of: " - while executing").map { String(text[..<$0.lowerBound]) } ?? text
        }
        let (started, recovered) = failure.withLock { state -> (String?, (cause: String, failedJobs: Int)?) in
            if succeeded, let ended = state {
                state = nil
                return (nil, ended)
            }
            guard let description, failedJobs > 0 else { return (nil, nil) }
            let isNew = state?.cause != description
            state = (description, (isNew ? 0 : state?.failedJobs ?? 0) + failedJobs)
            return (isNew ? description : nil, nil)
        }
        if let started {
            logger.error(
                "storage failure: writes are refused (503) until it is fixed", metadata: ["error": "\(started)"])
        }
        if let recovered {
            logger.notice(
                "storage recovered: writes succeed again",
                metadata: ["was": "\(recovered.cause)", "refused_jobs": "\(recovered.failedJobs)"])
        }
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
