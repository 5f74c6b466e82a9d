import Synchronization

/// A query that may never answer: a session the server ended can leave one waiting for good
/// (seen with postgres-nio 1.33 after `pg_terminate_backend`), so a session's liveness is
/// judged by an answer in time.
enum PostgresDeadline {
    /// Whether `body` finished within `deadline` (and did not throw). One that is still
    /// running then is left to end on its own.
    static func answers(within deadline: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = FirstOutcome(continuation)
            Task {
                do {
                    try await body()
                    outcome.settle(.success(true))
                } catch {
                    outcome.settle(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: deadline)
                outcome.settle(.success(false))
            }
        }
    }

    /// Resumes a continuation once, with whichever outcome comes first.
    private final class FirstOutcome: Sendable {
        private let continuation: Mutex<CheckedContinuation<Bool, any Error>?>

        init(_ continuation: CheckedContinuation<Bool, any Error>) {
            self.continuation = Mutex(continuation)
        }

        func settle(_ result: Result<Bool, any Error>) {
            continuation.withLock { $0.take() }?.resume(with: result)
        }
    }
}
