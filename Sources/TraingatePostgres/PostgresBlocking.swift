import Dispatch
import Synchronization

/// Runs async PostgreSQL work to completion from a thread that may block: the training
/// worker's own thread and the CLI's, whose interfaces are synchronous (`TrainingJobStore`'s
/// worker side). Never from a task on Swift's cooperative pool, which it would hold up.
enum PostgresBlocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}
