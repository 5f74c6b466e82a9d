import Foundation
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// Embeddings on PostgreSQL (SQLite's is `EmbeddingStore`): only of images still queued, only
/// from the newest succeeded checkpoint.
public struct PostgresEmbeddingStore: EmbeddingReading {
    private let store: PostgresStore

    /// The id of the newest succeeded job's checkpoint (only succeeded jobs have one).
    static let newestCheckpointID = "SELECT c.id FROM checkpoint c JOIN training_job j ON j.id = c.job_id ORDER BY j.position DESC LIMIT 1"

    public init(store: PostgresStore) {
        self.store = store
    }

    public func embedding(of admissionID: String) async throws -> (checkpointID: String, vector: [Float])? {
        var binds = PostgresBindings()
        binds.append(admissionID)
        let rows = try await store.openClient().query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT e.checkpoint_id, e.vector FROM embedding e
                    WHERE e.admission_id = $1 AND e.checkpoint_id = (\(Self.newestCheckpointID))
                    AND EXISTS (SELECT 1 FROM queue_item q WHERE q.admission_id = e.admission_id)
                    """, binds: binds), logger: store.logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (checkpointID, blob) = try row.decode((String, ByteBuffer).self)
        guard let vector = FloatBlob.decode(Data(Array(buffer: blob))) else {
            throw StoreError.corruptRecord("embedding of \(admissionID) is not a vector of floats")
        }
        return (checkpointID, vector)
    }

    public func newestCheckpoint() async throws -> StoredCheckpoint? {
        let rows = try await store.openClient().query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, job_id, format, parameters, weights, embedding_dim, erased_items + objected_items FROM checkpoint
                    WHERE id = (\(Self.newestCheckpointID))
                    """), logger: store.logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (id, jobID, format, parametersText, weights, dimension, flagged) = try row.decode(
            (String, String, Int32, String, ByteBuffer, Int32, Int32).self)
        guard let parameters = try? JSONValue.parse(Array(parametersText.utf8)) else {
            throw StoreError.corruptRecord("checkpoint \(id) does not decode")
        }
        return StoredCheckpoint(
            id: id, jobID: jobID, format: Int(format), parameters: parameters, weights: Array(buffer: weights),
            embeddingDimension: Int(dimension), isTainted: flagged > 0)
    }

    public func matrix(of checkpointID: String, dimension: Int) async throws -> (admissionIDs: [String], values: [Float]) {
        var binds = PostgresBindings()
        binds.append(checkpointID)
        let rows = try await store.openClient().query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT e.admission_id, e.vector FROM embedding e
                    WHERE e.checkpoint_id = $1 AND EXISTS (SELECT 1 FROM queue_item q WHERE q.admission_id = e.admission_id)
                    ORDER BY e.admission_id
                    """, binds: binds), logger: store.logger)
        var ids: [String] = []
        var values: [Float] = []
        for try await (id, blob) in rows.decode((String, ByteBuffer).self) {
            guard let vector = FloatBlob.decode(Data(Array(buffer: blob))), vector.count == dimension else {
                throw StoreError.corruptRecord("embedding of \(id) does not have \(dimension) floats")
            }
            ids.append(id)
            values += vector
        }
        return (ids, values)
    }
}
