import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// A succeeded job's checkpoint, lineage and embeddings, inside the transaction that records
/// its end (as SQLite's `TrainingStore.succeed`).
enum PostgresCheckpointWriter {
    static func insert(
        _ checkpoint: TrainedCheckpoint, of job: TrainingJob, at: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let policyVersions = Array(Set(checkpoint.lineage.map(\.policyVersion))).sorted()
        var binds = PostgresBindings()
        binds.append(checkpoint.id)
        binds.append(job.id)
        binds.append(at)
        binds.append(Int32(checkpoint.format))
        binds.append(JSONText.encode(checkpoint.parameters))
        binds.append(ByteBuffer(bytes: checkpoint.weights))
        binds.append(Int32(checkpoint.embeddingDimension))
        binds.append(Int32(checkpoint.lineage.count))
        binds.append(JSONText.encode(.array(policyVersions.map(JSONValue.string))))
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO checkpoint (id, job_id, created_at, format, parameters, weights, embedding_dim, images, policy_versions)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """, binds: binds), logger: logger)
        try await PostgresInsert<TrainedCheckpoint.Lineage>(
            table: "checkpoint_lineage", columns: ["checkpoint_id", "admission_id", "image_sha256", "policy_version", "epochs"]
        ) { item, bindings in
            bindings.append(checkpoint.id)
            bindings.append(item.admissionID)
            bindings.append(item.imageSHA256)
            bindings.append(item.policyVersion)
            bindings.append(Int32(item.epochs))
        }.run(checkpoint.lineage, on: connection, logger: logger)
        // Lineage flags: items erased or objected to while the job ran are in its lineage
        // already (it trained on them before it learnt); the checkpoint says so from the start.
        var id = PostgresBindings()
        id.append(checkpoint.id)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE checkpoint SET
                        erased_items = (SELECT count(*) FROM checkpoint_lineage l JOIN admission a ON a.id = l.admission_id
                            WHERE l.checkpoint_id = $1 AND a.erased_at IS NOT NULL),
                        objected_items = (SELECT count(*) FROM checkpoint_lineage l JOIN admission a ON a.id = l.admission_id
                            WHERE l.checkpoint_id = $1 AND a.subject_ref IN (SELECT subject_ref FROM objection))
                    WHERE id = $1
                    """, binds: id), logger: logger)
        // Only for images still queued at commit: an erasure or objection that committed after
        // the job's last re-check must not be undone by its embeddings.
        var embeddings = PostgresBindings()
        embeddings.append(checkpoint.id)
        embeddings.append(checkpoint.embeddings.map(\.admissionID))
        embeddings.append(checkpoint.embeddings.map { ByteBuffer(bytes: FloatBlob.encode($0.vector)) })
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO embedding (admission_id, checkpoint_id, vector)
                    SELECT v.admission_id, $1, v.vector FROM unnest($2::text[], $3::bytea[]) AS v(admission_id, vector)
                    WHERE EXISTS (SELECT 1 FROM queue_item q WHERE q.admission_id = v.admission_id)
                    """, binds: embeddings), logger: logger)
    }
}
