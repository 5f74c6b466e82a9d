/// Cancel requests kept in the store, for deployments where the instance that receives a cancel
/// is not the one running the job (several instances on PostgreSQL, one training lead). A
/// single instance passes them in memory (`TrainingControl`) and needs no such store.
public protocol SharedCancelRequests: Sendable {
    /// Records that the running job `id` is to stop, and who asked (nil in development mode).
    /// - Returns: false when the job is no longer running (it ended meanwhile).
    func requestCancel(_ id: String, by apiKey: String?) async throws -> Bool
    /// The recorded request of job `id`: nil when none was made.
    func cancelRequest(of id: String) async throws -> TrainingCancelRequest?
}

/// A request to stop a running job, as recorded.
public struct TrainingCancelRequest: Sendable, Equatable {
    /// The key that asked, for the job's end in the audit log.
    public let apiKey: String?

    public init(apiKey: String?) {
        self.apiKey = apiKey
    }
}
