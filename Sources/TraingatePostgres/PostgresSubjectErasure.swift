import NIOCore
import PolicyEngine
import PostgresNIO
import StrictDocuments
import TraingateStore

/// Erasure of one subject (Art. 17) on PostgreSQL, inside the caller's transaction, with the same
/// effects and the same receipt as SQLite's `SubjectErasure`: the subject's queue items and
/// embeddings go, the checkpoints trained on it are flagged, its decisions keep only their
/// non-personal fields, its content enters the suppression list and its stored copies go
/// (unless another subject's decision holds the same content: then the copy is sealed again
/// under that subject's key), and its key is destroyed, with the key of its bucket
/// (`PostgresSubjectKeys.rotate`). Runs under the chain head's lock, taken by the caller.
enum PostgresSubjectErasure {
    static func erase(
        lookup: ByteBuffer, at: String, apiKey: String?, keys: PostgresSubjectKeys, texts: PostgresCommittedTexts,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> ErasureReceipt {
        var subject = PostgresBindings()
        subject.append(lookup)
        let subjectKey = try await keys.existingKey(lookup: lookup, on: connection, logger: logger)
        var rows: [(id: String, sha256: String?, reasons: String)] = []
        for try await row in try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT a.id, a.image_sha256, r.reasons FROM admission a JOIN reason_list r ON r.id = a.reasons
                    WHERE a.subject_ref = $1 ORDER BY a.audit_seq
                    """, binds: subject), logger: logger
        ).decode((String, String?, String).self) {
            rows.append(row)
        }
        var ids = PostgresBindings()
        ids.append(rows.map(\.id))
        let queueItems = try await connection.query(
            PostgresQuery(unsafeSQL: "DELETE FROM queue_item WHERE admission_id = ANY($1::text[]) RETURNING admission_id", binds: ids),
            logger: logger
        ).collect().count
        let embeddings = try await connection.query(
            PostgresQuery(unsafeSQL: "DELETE FROM embedding WHERE admission_id = ANY($1::text[]) RETURNING admission_id", binds: ids),
            logger: logger
        ).collect().count
        var tainted: [String] = []
        for try await checkpoint in try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE checkpoint c SET erased_items = c.erased_items + t.items
                    FROM (SELECT checkpoint_id, count(*) AS items FROM checkpoint_lineage WHERE admission_id = ANY($1::text[])
                          GROUP BY checkpoint_id) t
                    WHERE c.id = t.checkpoint_id RETURNING c.id
                    """, binds: ids), logger: logger
        ).decode(String.self) {
            tainted.append(checkpoint)
        }
        try await keepNonPersonalFields(of: rows, erasedAt: at, texts: texts, on: connection, logger: logger)
        var (images, sharedKept) = (0, 0)
        for sha256 in Set(rows.compactMap(\.sha256)).sorted() {
            var content = PostgresBindings()
            content.append(sha256)
            content.append(at)
            // The suppression list: the same photo or a near-duplicate is rejected ERASED_CONTENT from now on.
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO erased_content (sha256, erased_at, phash, phash_b0, phash_b1, phash_b2, phash_b3)
                        SELECT $1, $2, i.phash, i.phash_b0, i.phash_b1, i.phash_b2, i.phash_b3
                        FROM (SELECT 1) AS one LEFT JOIN image i ON i.sha256 = $1
                        ON CONFLICT (sha256) DO NOTHING
                        """, binds: content), logger: logger)
            var only = PostgresBindings()
            only.append(sha256)
            // The subject's rows no longer name it: any admission that still does is another subject's.
            let holder = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT subject_ref FROM admission WHERE image_sha256 = $1 LIMIT 1", binds: only), logger: logger
            ).collect().first?.decode(ByteBuffer?.self)
            if let holder {
                sharedKept += 1
                if let subjectKey {
                    try await reseal(sha256, from: lookup, key: subjectKey, to: holder, keys: keys, on: connection, logger: logger)
                }
            } else {
                images += try await connection.query(
                    PostgresQuery(unsafeSQL: "DELETE FROM image WHERE sha256 = $1 RETURNING sha256", binds: only), logger: logger
                ).collect().count
            }
        }
        // Crypto-shredding: without the key, the subject's audit entries can be neither read nor
        // linked to them, and their hashes still chain.
        let keyDestroyed = try await !connection.query(
            PostgresQuery(unsafeSQL: "DELETE FROM subject_key WHERE lookup = $1 RETURNING lookup", binds: subject), logger: logger
        ).collect().isEmpty
        // The key's row lingers in the files: what opens it goes too.
        if keyDestroyed {
            let bucket = PostgresSubjectKeys.bucket(of: lookup)
            try await keys.rotate(bucket: bucket, on: connection, logger: logger)
            // And from every instance's memory, once this commits.
            try await PostgresErasureNotices.announce(bucket: bucket, on: connection, logger: logger)
        }
        if queueItems > 0 { try await PostgresQueue.bumpRemovals(on: connection, logger: logger) }
        let record = ErasureReceipt.record(
            admissions: rows.count, images: images, sharedImagesKept: sharedKept, queueItems: queueItems, embeddings: embeddings,
            taintedCheckpoints: tainted.sorted(), keyDestroyed: keyDestroyed, apiKey: apiKey, at: at)
        let audit = try await PostgresAuditChain.append(texts: texts, [record], on: connection, logger: logger)[0]
        return ErasureReceipt(
            admissions: rows.count, images: images, sharedImagesKept: sharedKept, queueItems: queueItems, embeddings: embeddings,
            taintedCheckpoints: tainted.sorted(), keyDestroyed: keyDestroyed, audit: audit)
    }

    /// A copy the erased subject's key sealed, kept for another subject's decision, is sealed
    /// again under that subject's key before the erased key goes.
    private static func reseal(
        _ sha256: String, from lookup: ByteBuffer, key: SubjectKey, to holder: ByteBuffer, keys: PostgresSubjectKeys,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        var binds = PostgresBindings()
        binds.append(sha256)
        binds.append(lookup)
        guard
            let sealed = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT bytes FROM image WHERE sha256 = $1 AND sealed_by = $2", binds: binds), logger: logger
            ).collect().first?.decode(ByteBuffer.self)
        else { return }  // Sealed by another subject's key already.
        guard
            let holderKey = try await keys.existingKey(lookup: holder, on: connection, logger: logger)
        else { throw StoreError.corruptRecord("the subject of a decision that keeps image \(sha256) has no key") }
        var update = PostgresBindings()
        update.append(sha256)
        let copy = try PostgresSealedAdmission.openCopy(Array(buffer: sealed), sha256: sha256, key: key)
        update.append(ByteBuffer(bytes: try PostgresSealedAdmission.sealCopy(copy, sha256: sha256, key: holderKey)))
        update.append(holder)
        try await connection.query(
            PostgresQuery(unsafeSQL: "UPDATE image SET bytes = $2, sealed_by = $3 WHERE sha256 = $1", binds: update), logger: logger)
    }

    /// An erased decision keeps what proves the gate worked (its id, source, verdict, reason
    /// codes, policy, audit seq, time, the key that asked) and loses what is about the person:
    /// the pipeline's image id, the pseudonym, the request hash (both NULL: erased), the
    /// reasons' messages, jurisdictions and signals, and the link to the stored copy.
    private static func keepNonPersonalFields(
        of rows: [(id: String, sha256: String?, reasons: String)], erasedAt: String, texts: PostgresCommittedTexts,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !rows.isEmpty else { return }
        let kept = try rows.map { row -> String in
            guard let reasons = JSONText.decode([Reason].self, from: row.reasons) else {
                throw StoreError.corruptRecord(id: row.id, column: "reasons")
            }
            return JSONText.encode(.array(SubjectErasure.erasedReasons(reasons).map(\.json)))
        }
        let reasonIDs = try await PostgresInternedText.reasonLists.ids(of: Set(kept), committed: texts, on: connection, logger: logger)
        var binds = PostgresBindings()
        binds.append(rows.map(\.id))
        binds.append(kept.map { reasonIDs[$0] ?? 0 })
        binds.append(erasedAt)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE admission SET image_key = NULL, image_id_sealed = NULL, subject_ref = NULL, request_hash = NULL, reasons = v.reasons,
                        jurisdictions = '[]', signals = '[]', image_sha256 = NULL, queued = false, erased_at = $3
                    FROM unnest($1::text[], $2::int8[]) AS v(id, reasons) WHERE admission.id = v.id
                    """, binds: binds), logger: logger)
    }
}
