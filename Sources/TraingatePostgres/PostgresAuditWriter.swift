import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TraingateStore

/// Group commit of audit entries on PostgreSQL: records submitted concurrently are appended in
/// one transaction, which locks the chain head once for all of them, and each submitter resumes
/// only once that transaction has committed (durable: `synchronous_commit` is on, as a
/// PostgreSQL server's default is).
///
/// Runs as a `Service`: on graceful shutdown it stops accepting records, commits the ones
/// already submitted, and returns.
public final class PostgresAuditWriter: Service, Sendable {
    private struct Job: Sendable {
        let record: AuditRecord
        let continuation: CheckedContinuation<AuditEntry, any Error>
    }

    private struct State {
        var pending: [Job] = []
        var accepting = true
    }

    private let database: PostgresStore
    private let maxBatchSize: Int
    private let maxPendingJobs: Int
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let transactions = Atomic<Int>(0)

    /// - Parameters:
    ///   - maxBatchSize: the most records one transaction takes.
    ///   - maxPendingJobs: the most records waiting; beyond it `append` fails at once with
    ///     `StoreError.overloaded`.
    public init(database: PostgresStore, maxBatchSize: Int = 512, maxPendingJobs: Int = 10_000) {
        self.database = database
        self.maxBatchSize = maxBatchSize
        self.maxPendingJobs = maxPendingJobs
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Transactions committed so far; with concurrent submitters this stays below the record count.
    public var committedTransactions: Int { transactions.load(ordering: .relaxed) }

    /// Appends `record` to the chain and returns its entry once the entry is durable.
    /// - Throws: `StoreError.writeFailed` when the transaction fails (nothing of it was
    ///   kept), `StoreError.overloaded` when too many records wait, `StoreError.unavailable`
    ///   after shutdown began.
    public func append(_ record: AuditRecord) async throws -> AuditEntry {
        try await withCheckedThrowingContinuation { continuation in
            let refusal = state.withLock { state -> StoreError? in
                guard state.accepting else { return .unavailable }
                guard state.pending.count < maxPendingJobs else { return .overloaded }
                state.pending.append(Job(record: record, continuation: continuation))
                return nil
            }
            if let refusal { continuation.resume(throwing: refusal) } else { wake.yield() }
        }
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                for await _ in wakeups {
                    while let batch = nextBatch() { await commit(batch) }
                }
                // Stopped: what was accepted before is still committed.
                while let batch = nextBatch() { await commit(batch) }
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

    private func nextBatch() -> [Job]? {
        state.withLock { state in
            guard !state.pending.isEmpty else { return nil }
            let count = min(state.pending.count, maxBatchSize)
            defer { state.pending.removeFirst(count) }
            return Array(state.pending.prefix(count))
        }
    }

    private func commit(_ batch: [Job]) async {
        let records = batch.map(\.record)
        do {
            let entries = try await database.transaction { connection in
                try await PostgresAuditChain.append(records, on: connection, logger: database.logger)
            }
            transactions.add(1, ordering: .relaxed)
            for (job, entry) in zip(batch, entries) { job.continuation.resume(returning: entry) }
        } catch {
            // A statement PostgreSQL refused is a failed write like a failed commit: nothing kept.
            let failure = (error as? StoreError) ?? StoreError.writeFailed(error)
            for job in batch { job.continuation.resume(throwing: failure) }
        }
    }
}
