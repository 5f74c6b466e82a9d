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
    /// The API key that submitted the job (nil in development mode); its audit entries name it.
    public let apiKey: String?
    /// The API key that asked to cancel it, while the cancel is being recorded (never stored
    /// on the row; the `cancelled` audit entry names it).
    public var cancelledBy: String?
    /// Model lineage, for a job with a checkpoint: how many of the items it trained on were
    /// erased, or their subject objected, since (or while it ran).
    public private(set) var erasedItems = 0
    public private(set) var objectedItems = 0

    /// Whether the checkpoint holds erased or objected data: it is not used for new embeddings
    /// until a new job has trained without it.
    public var isTainted: Bool { erasedItems > 0 || objectedItems > 0 }

    static let selectSQL = """
        SELECT id, status, parameters, epoch, step, total_steps, loss, images, created_at, started_at, finished_at,
            checkpoint_id, error, api_key,
            (SELECT erased_items FROM checkpoint WHERE checkpoint.id = training_job.checkpoint_id) AS erased_items,
            (SELECT objected_items FROM checkpoint WHERE checkpoint.id = training_job.checkpoint_id) AS objected_items
            FROM training_job
        """

    /// Every stored field (a store that decodes its rows itself: PostgreSQL's).
    package init(
        id: String, status: Status, parameters: JSONValue, progress: TrainingProgress, images: Int, createdAt: String,
        startedAt: String?, finishedAt: String?, checkpointID: String?, error: String?, apiKey: String?, erasedItems: Int,
        objectedItems: Int
    ) {
        self.id = id
        self.status = status
        self.parameters = parameters
        self.progress = progress
        self.images = images
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.checkpointID = checkpointID
        self.error = error
        self.apiKey = apiKey
        self.erasedItems = erasedItems
        self.objectedItems = objectedItems
    }

    /// The audit record of the job's start, at `at`.
    package func startRecord(at: String) -> AuditRecord {
        var details: [String: JSONValue] = ["job_id": .string(id), "event": .string("started"), "parameters": parameters]
        if let apiKey { details["api_key"] = .string(apiKey) }
        return AuditRecord(kind: .trainingJob, at: at, details: .object(details))
    }

    /// The audit record of the job's end (`event`: succeeded, failed, cancelled).
    package func endRecord(event: String) -> AuditRecord {
        var details: [String: JSONValue] = [
            "job_id": .string(id), "event": .string(event), "images": .number(Double(images)), "steps": .number(Double(progress.step)),
        ]
        if let checkpointID { details["checkpoint_id"] = .string(checkpointID) }
        if let error { details["error"] = .string(error) }
        if let apiKey { details["api_key"] = .string(apiKey) }
        if let cancelledBy { details["cancelled_by"] = .string(cancelledBy) }
        return AuditRecord(kind: .trainingJob, at: finishedAt ?? createdAt, details: .object(details))
    }

    /// Columns are read leniently and checked: a row edited outside traingate is an error that
    /// names the job, never a trap.
    init(row: Row) throws {
        let id = String.fromDatabaseValue(row["id"]) ?? "?"
        func corrupt() -> StoreError { StoreError.corruptRecord("training job \(id) does not decode") }
        func integer(_ column: String) throws -> Int {
            guard let value = Int.fromDatabaseValue(row[column]) else { throw corrupt() }
            return value
        }
        func text(_ column: String) -> String? { String.fromDatabaseValue(row[column]) }
        guard let status = text("status").flatMap(Status.init(rawValue:)), let parametersText = text("parameters"),
            let parameters = try? JSONValue.parse(Array(parametersText.utf8)), let createdAt = text("created_at")
        else { throw corrupt() }
        self.id = id
        self.status = status
        self.parameters = parameters
        progress = TrainingProgress(
            epoch: try integer("epoch"), step: try integer("step"), totalSteps: try integer("total_steps"),
            loss: Double.fromDatabaseValue(row["loss"]))
        images = try integer("images")
        self.createdAt = createdAt
        startedAt = text("started_at")
        finishedAt = text("finished_at")
        checkpointID = text("checkpoint_id")
        error = text("error")
        apiKey = text("api_key")
        erasedItems = Int.fromDatabaseValue(row["erased_items"]) ?? 0
        objectedItems = Int.fromDatabaseValue(row["objected_items"]) ?? 0
    }
}
