/// What the training lead reads of a store other instances write too (several instances on
/// PostgreSQL, one lead): cancel requests any instance received, and jobs left running. A
/// single instance passes cancels in memory (`TrainingControl`) and fails its interrupted
/// jobs at start, so it needs neither.
public protocol SharedTrainingJobs: Sendable {
    /// Records that the running job `id` is to stop, and who asked (nil in development mode).
    /// - Returns: false when the job is no longer running (it ended meanwhile).
    func requestCancel(_ id: String, by apiKey: String?) async throws -> Bool
    /// The recorded request of job `id`: nil when none was made.
    func cancelRequest(of id: String) async throws -> TrainingCancelRequest?
    /// Whether any job is marked running (the idle lead then fails it: `failInterrupted`).
    func anyJobRunning() async throws -> Bool
}

/// A request to stop a running job, as recorded.
public struct TrainingCancelRequest: Sendable, Equatable {
    /// The key that asked, for the job's end in the audit log.
    public let apiKey: String?

    public init(apiKey: String?) {
        self.apiKey = apiKey
    }
}
