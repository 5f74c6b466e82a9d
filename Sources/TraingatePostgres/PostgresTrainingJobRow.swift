import PostgresNIO
import StrictDocuments
import TraingateStore

/// Reads training jobs back, with their checkpoint's lineage flags.
enum PostgresTrainingJobRow {
    static let select = """
        SELECT j.id, j.status, j.parameters, j.epoch, j.step, j.total_steps, j.loss, j.images, j.created_at, j.started_at,
            j.finished_at, j.checkpoint_id, j.error, j.api_key, c.erased_items, c.objected_items
        FROM training_job j LEFT JOIN checkpoint c ON c.id = j.checkpoint_id
        """

    typealias Columns = (
        String, String, String, Int32, Int32, Int32, Double?, Int32, String, String?, String?, String?, String?, String?, Int32?, Int32?
    )

    static func decode(_ rows: PostgresRowSequence) async throws -> [TrainingJob] {
        var jobs: [TrainingJob] = []
        for try await columns in rows.decode(Columns.self) { jobs.append(try job(columns)) }
        return jobs
    }

    /// A row's job; one that does not decode (edited outside traingate) is an error naming it.
    private static func job(_ columns: Columns) throws -> TrainingJob {
        let (
            id, statusText, parametersText, epoch, step, totalSteps, loss, images, createdAt, startedAt, finishedAt, checkpointID, error,
            apiKey, erasedItems, objectedItems
        ) = columns
        guard let status = TrainingJob.Status(rawValue: statusText), let parameters = try? JSONValue.parse(Array(parametersText.utf8))
        else { throw StoreError.corruptRecord("training job \(id) does not decode") }
        return TrainingJob(
            id: id, status: status, parameters: parameters,
            progress: TrainingProgress(epoch: Int(epoch), step: Int(step), totalSteps: Int(totalSteps), loss: loss), images: Int(images),
            createdAt: createdAt, startedAt: startedAt, finishedAt: finishedAt, checkpointID: checkpointID, error: error, apiKey: apiKey,
            erasedItems: Int(erasedItems ?? 0), objectedItems: Int(objectedItems ?? 0))
    }
}
