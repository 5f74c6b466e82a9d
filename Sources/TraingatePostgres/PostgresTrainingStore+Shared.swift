import PostgresNIO
import TraingateStore

/// A cancel sent to any instance reaches the lead's running job through the job's row: the
/// request is recorded there, and the lead's worker reads it within its next look.
extension PostgresTrainingStore: SharedTrainingJobs {
    public func requestCancel(_ id: String, by apiKey: String?) async throws -> Bool {
        let marked = try await store.openClient().query(
            """
            UPDATE training_job SET cancel_requested = true, cancel_requested_by = \(apiKey) WHERE id = \(id) AND status = 'running'
            RETURNING id
            """,
            logger: logger
        ).collect()
        return !marked.isEmpty
    }

    public func cancelRequest(of id: String) async throws -> TrainingCancelRequest? {
        let rows = try await store.openClient().query(
            "SELECT cancel_requested_by FROM training_job WHERE id = \(id) AND cancel_requested", logger: logger)
        for try await apiKey in rows.decode(String?.self) { return TrainingCancelRequest(apiKey: apiKey) }
        return nil
    }

    public func anyJobRunning() async throws -> Bool {
        try await store.openClient().query("SELECT EXISTS (SELECT 1 FROM training_job WHERE status = 'running')", logger: logger)
            .collect()[0].decode(Bool.self)
    }
}
