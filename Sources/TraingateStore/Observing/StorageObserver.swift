/// Told what the store's background writers do, so the app can export it as metrics without
/// the store depending on a metrics backend. Called on the writer's and the checkpointer's own
/// threads, between transactions: implementations must be quick and must not block.
public protocol StorageObserver: Sendable {
    /// A group commit of `jobs` write jobs took `duration` (from `BEGIN` to durable `COMMIT`).
    func committed(jobs: Int, duration: Duration)
    /// A storage operation failed with an error of `kind`: a group commit refusing `jobs` write
    /// jobs, or one checkpoint round (`jobs` 1).
    func failed(_ operation: StorageOperation, jobs: Int, kind: StorageFailureKind)
}
