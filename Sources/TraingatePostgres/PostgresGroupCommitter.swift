import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TraingateStore

/// Group commit on PostgreSQL: jobs submitted concurrently are committed in one transaction
/// (`commit` handles them together, with one round trip per kind of statement rather than per
/// job), and each submitter resumes only once that transaction has committed: durable, as
/// `synchronous_commit` is on (PostgreSQL's default).
///
/// When a job of the group fails (PostgreSQL refused a statement, or the job threw: a row that
/// does not decode, a key that does not open), each of the group's jobs is run again in a
/// transaction of its own, so one job's failure does not fail the others (SQLite's
/// `GroupCommitWriter` does the same with savepoints). A failed begin or commit, or a lost
/// connection, fails the group as a whole.
///
/// Runs as a `Service`: on graceful shutdown it stops accepting jobs, commits the ones already
/// submitted, and returns.
public final class PostgresGroupCommitter<Job: Sendable, Output: Sendable>: Service, Sendable {
    /// Commits the group's jobs in the transaction on `connection`, returning one output per job
    /// in order. The group forms when `commit` first asks for its jobs (`PostgresCommitGroup`).
    public typealias Commit = @Sendable (PostgresCommitGroup<Job>, PostgresConnection) async throws -> [Output]

    private struct Pending: Sendable {
        let job: Job
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var pending: [Pending] = []
        var accepting = true
    }

    private let store: PostgresStore
    private let commit: Commit
    private let maxBatchSize: Int
    private let maxPendingJobs: Int
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let transactions = Atomic<Int>(0)

    /// - Parameters:
    ///   - maxBatchSize: the most jobs one transaction takes.
    ///   - maxPendingJobs: the most jobs waiting; beyond it `submit` fails at once with
    ///     `StoreError.overloaded`.
    public init(store: PostgresStore, maxBatchSize: Int = 512, maxPendingJobs: Int = 10_000, commit: @escaping Commit) {
        self.store = store
        self.commit = commit
        self.maxBatchSize = maxBatchSize
        self.maxPendingJobs = maxPendingJobs
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Jobs submitted and not yet taken into a group.
    public var pendingJobs: Int { state.withLock { $0.pending.count } }

    /// Transactions committed so far; with concurrent submitters this stays below the job count.
    public var committedTransactions: Int { transactions.load(ordering: .relaxed) }

    /// Commits `job` with the next group and returns its output once that is durable.
    /// - Throws: the job's own error, `StoreError.writeFailed` when its transaction fails
    ///   (nothing of it kept), `StoreError.overloaded` when too many jobs wait,
    ///   `StoreError.unavailable` after shutdown began.
    public func submit(_ job: Job) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let refusal = state.withLock { state -> StoreError? in
                guard state.accepting else { return .unavailable }
                guard state.pending.count < maxPendingJobs else { return .overloaded }
                state.pending.append(Pending(job: job, continuation: continuation))
                return nil
            }
            if let refusal { continuation.resume(throwing: refusal) } else { wake.yield() }
        }
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                for await _ in wakeups {
                    while hasPending { await commitGroup() }
                }
                // Stopped: what was accepted before is still committed.
                while hasPending { await commitGroup() }
            } onGracefulShutdown: {
                self.stopAccepting()
            }
        } onCancel: {
            self.stopAccepting()
        }
    }

    private func stopAccepting() {
        state.withLock { $0.accepting = false }
        wake.finish()
    }

    private var hasPending: Bool { state.withLock { !$0.pending.isEmpty } }

    /// Takes up to `maxBatchSize` waiting jobs.
    private func nextBatch() -> [Pending] {
        state.withLock { state in
            let count = min(state.pending.count, maxBatchSize)
            defer { state.pending.removeFirst(count) }
            return Array(state.pending.prefix(count))
        }
    }

    /// One group: the jobs its commit takes when it asks (after locking what it locks), each
    /// answered with its outcome.
    private func commitGroup() async {
        let taken = Mutex<[Pending]>([])
        let group = PostgresCommitGroup<Job> {
            let batch = self.nextBatch()
            taken.withLock { $0 = batch }
            return batch.map(\.job)
        }
        let results = await outcomes(of: group)
        if results.contains(where: { (try? $0.get()) != nil }) { transactions.add(1, ordering: .relaxed) }
        for (pending, result) in zip(taken.withLock { $0 }, results) { pending.continuation.resume(with: result) }
    }

    /// The group's outputs, or, when PostgreSQL refused something in it, each job's own outcome.
    /// A commit that failed before it formed its group (at its begin, or its lock) fails the
    /// jobs it would have taken.
    private func outcomes(of group: PostgresCommitGroup<Job>) async -> [Result<Output, any Error>] {
        let failure: any Error
        do {
            let outputs = try await store.transaction { connection in try await commit(group, connection) }
            guard outputs.count == group.jobs().count else {
                return Array(
                    repeating: .failure(StoreError.corruptRecord("a group commit answered the wrong number of jobs")), count: group.jobs().count)
            }
            return outputs.map { .success($0) }
        } catch {
            failure = error
        }
        let jobs = group.jobs()
        guard jobs.count > 1, PostgresFailure.isJobFailure(failure) else {
            return Array(repeating: .failure(Self.storeError(failure)), count: jobs.count)
        }
        var results: [Result<Output, any Error>] = []
        for job in jobs {
            do {
                let output = try await store.transaction { connection in try await commit(PostgresCommitGroup([job]), connection) }
                results.append(.success(output[0]))
            } catch {
                results.append(.failure(Self.storeError(error)))
            }
        }
        return results
    }

    /// A failure as the app maps it: the store's own errors unchanged, anything else a failed write.
    private static func storeError(_ error: any Error) -> any Error {
        (error as? StoreError) ?? StoreError.writeFailed(error)
    }
}
