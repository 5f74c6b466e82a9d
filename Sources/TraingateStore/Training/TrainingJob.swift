import GRDB
import StrictDocuments

/// A training job as stored: what was asked, where it stands, and how it ended.
public struct TrainingJob: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case queued, running, succeeded, failed, cancelled

        public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    public let id: String
    public var status: Status
    /// The job's parameters as submitted and completed with defaults (an object).
    public let parameters: JSONValue
    public var progress: TrainingProgress
    /// How many images the job trained on (embedded, for `epochs: 0`).
    public var images: Int
    public let createdAt: String
    public var startedAt: String?
    public var finishedAt: String?
    public var checkpointID: String?
    public var error: String?

    static let selectSQL = """
        SELECT id, status, parameters, epoch, step, total_steps, loss, images, created_at, started_at, finished_at,
            checkpoint_id, error FROM training_job
        """

    init(row: Row) throws {
        guard let status = Status(rawValue: row["status"]),
            let parameters = try? JSONValue.parse(Array((row["parameters"] as String).utf8))
        else { throw StoreError.corruptRecord("training job \(row["id"] as String) does not decode") }
        id = row["id"]
        self.status = status
        self.parameters = parameters
        progress = TrainingProgress(epoch: row["epoch"], step: row["step"], totalSteps: row["total_steps"], loss: row["loss"])
        images = row["images"]
        createdAt = row["created_at"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        checkpointID = row["checkpoint_id"]
        error = row["error"]
    }
}
