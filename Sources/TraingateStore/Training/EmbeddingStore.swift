import Foundation
import GRDB
import StrictDocuments

/// Embeddings as the API serves them: only of images still in the queue (an image that left
/// it, by a rejection, objection or erasure, is no longer anyone's training data), and only from
/// the newest succeeded checkpoint.
public struct EmbeddingStore: EmbeddingReading {
    private let database: AppDatabase

    /// The id of the newest succeeded job's checkpoint (only succeeded jobs have one).
    static let newestCheckpointIDSQL = "SELECT c.id FROM checkpoint c JOIN training_job j ON j.id = c.job_id ORDER BY j.position DESC LIMIT 1"

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The admission's embedding in the newest succeeded checkpoint (as the contract says, and
    /// as search uses: vectors of different checkpoints live in different spaces and must not be
    /// mixed). Nil when that checkpoint has none for it or the admission left the queue.
    public func embedding(of admissionID: String) async throws -> (checkpointID: String, vector: [Float])? {
        try await database.writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT e.checkpoint_id, e.vector FROM embedding e
                        WHERE e.admission_id = ? AND e.checkpoint_id = (\(Self.newestCheckpointIDSQL))
                        AND EXISTS (SELECT 1 FROM queue_item q WHERE q.admission_id = e.admission_id)
                        """, arguments: [admissionID])
            else { return nil }
            guard let vector = FloatBlob.decode(row[1]) else {
                throw StoreError.corruptRecord("embedding of \(admissionID) is not a vector of floats")
            }
            return (row[0], vector)
        }
    }

    /// The checkpoint of the newest succeeded job.
    public func newestCheckpoint() async throws -> StoredCheckpoint? {
        try await database.writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, job_id, format, parameters, weights, embedding_dim, erased_items + objected_items FROM checkpoint
                        WHERE id = (\(Self.newestCheckpointIDSQL))
                        """)
            else { return nil }
            // Read leniently: an edited row is an error naming the checkpoint, never a trap.
            let id = String.fromDatabaseValue(row[0]) ?? "?"
            guard let jobID = String.fromDatabaseValue(row[1]), let format = Int.fromDatabaseValue(row[2]),
                let text = String.fromDatabaseValue(row[3]), let parameters = try? JSONValue.parse(Array(text.utf8)),
                let weights = Data.fromDatabaseValue(row[4]), let dimension = Int.fromDatabaseValue(row[5]),
                let flagged = Int.fromDatabaseValue(row[6])
            else { throw StoreError.corruptRecord("checkpoint \(id) does not decode") }
            return StoredCheckpoint(
                id: id, jobID: jobID, format: format, parameters: parameters, weights: Array(weights), embeddingDimension: dimension,
                isTainted: flagged > 0)
        }
    }

    /// Every embedding of the checkpoint whose image is still queued, as one row-major matrix.
    public func matrix(of checkpointID: String, dimension: Int) async throws -> (admissionIDs: [String], values: [Float]) {
        try await database.writer.read { db in
            var ids: [String] = []
            var values: [Float] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.admission_id, e.vector FROM embedding e
                    WHERE e.checkpoint_id = ? AND EXISTS (SELECT 1 FROM queue_item q WHERE q.admission_id = e.admission_id)
                    ORDER BY e.admission_id
                    """, arguments: [checkpointID])
            while let row = try rows.next() {
                guard let vector = FloatBlob.decode(row[1]), vector.count == dimension else {
                    throw StoreError.corruptRecord("embedding of \(row[0] as String) does not have \(dimension) floats")
                }
                ids.append(row[0])
                values += vector
            }
            return (ids, values)
        }
    }
}
