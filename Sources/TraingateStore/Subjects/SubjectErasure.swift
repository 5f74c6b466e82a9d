import Foundation
import GRDB
import PolicyEngine
import StrictDocuments

/// Erasure of one subject (GDPR Art. 17), inside the caller's write transaction. Every step
/// goes through an index keyed by the subject or by one of its rows, so the cost grows with the
/// subject's own data, never with the store (docs/benchmarks.md, "Erasure").
public enum SubjectErasure {
    /// What an erased admission's reasons say instead of their messages, which may quote facts.
    public static let erasedMessage = "erased at the subject's request (GDPR Art. 17)"

    static func erase(subjectRef: String, at: String, apiKey: String?, in db: Database) throws -> ErasureReceipt {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT id, image_sha256, \(CompactColumns.reasons("admission.reasons")) AS reasons FROM admission WHERE subject_ref = ? ORDER BY audit_seq",
            arguments: [StoredLookup(subjectRef)])
        let ids: [String] = rows.map { $0["id"] }
        var queueItems = 0
        var embeddings = 0
        var tainted: [String: Int] = [:]
        for id in ids {
            try db.cachedStatement(sql: "DELETE FROM queue_item WHERE admission_id = ?").execute(arguments: [id])
            queueItems += db.changesCount
            try db.cachedStatement(sql: "DELETE FROM embedding WHERE admission_id = ?").execute(arguments: [id])
            embeddings += db.changesCount
            let checkpoints = try String.fetchAll(
                db.cachedStatement(sql: "SELECT checkpoint_id FROM checkpoint_lineage WHERE admission_id = ?"), arguments: [id])
            for checkpoint in checkpoints { tainted[checkpoint, default: 0] += 1 }
        }
        for (checkpoint, items) in tainted {
            try db.execute(sql: "UPDATE checkpoint SET erased_items = erased_items + ? WHERE id = ?", arguments: [items, checkpoint])
        }
        for row in rows { try keepNonPersonalFields(of: row, erasedAt: at, in: db) }
        let contents = Set(rows.compactMap { $0["image_sha256"] as String? }).sorted()
        var (images, sharedKept) = (0, 0)
        for sha256 in contents {
            try suppress(sha256, erasedAt: at, in: db)
            // The subject's rows no longer name it: any admission that still does is another subject's.
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM admission WHERE image_sha256 = ?)", arguments: [sha256]) == true {
                sharedKept += 1
            } else {
                try db.execute(sql: "DELETE FROM image WHERE sha256 = ?", arguments: [sha256])
                images += db.changesCount
            }
        }
        // Crypto-shredding: without the key, the subject's audit entries can be neither read nor
        // linked to them, and their hashes still chain.
        try db.execute(sql: "DELETE FROM subject_key WHERE lookup = ?", arguments: [StoredLookup(subjectRef)])
        let keyDestroyed = db.changesCount > 0
        if queueItems > 0 { try SubjectRightsStore.bumpQueueRemovals(in: db) }
        let checkpoints = tainted.keys.sorted()
        let record = ErasureReceipt.record(
            admissions: rows.count, images: images, sharedImagesKept: sharedKept, queueItems: queueItems, embeddings: embeddings,
            taintedCheckpoints: checkpoints, keyDestroyed: keyDestroyed, apiKey: apiKey, at: at)
        let audit = try AuditLog.append(record, in: db)
        return ErasureReceipt(
            admissions: rows.count, images: images, sharedImagesKept: sharedKept, queueItems: queueItems, embeddings: embeddings,
            taintedCheckpoints: checkpoints, keyDestroyed: keyDestroyed, audit: audit)
    }

    /// An erased decision keeps what proves the gate worked (its id, source, verdict, reason
    /// codes, policy, audit seq and hash, time, the key that asked) and loses what is about the
    /// person: the pipeline's image id, the subject pseudonym, the request hash, the reasons'
    /// messages, jurisdictions and signals, and the link to the stored copy.
    private static func keepNonPersonalFields(of row: Row, erasedAt: String, in db: Database) throws {
        let id: String = row["id"]
        guard let reasons = JSONText.decode([Reason].self, from: row["reasons"]) else {
            throw StoreError.corruptRecord(id: id, column: "reasons")
        }
        let kept = erasedReasons(reasons)
        try db.cachedStatement(
            sql: """
                UPDATE admission SET image_id = 'erased:' || id, subject_ref = 'erased', request_hash = 'erased', reasons = ?,
                    jurisdictions = '[]', signals = '[]', image_sha256 = NULL, queued = 0, erased_at = ? WHERE id = ?
                """
        ).execute(arguments: [try InternedText.reasonLists.reference(to: JSONText.encode(.array(kept.map(\.json))), in: db), erasedAt, id])
    }

    /// What an erased decision's reasons keep: code, rule and article, not the message.
    package static func erasedReasons(_ reasons: [Reason]) -> [Reason] {
        reasons.map { Reason(code: $0.code, rule: $0.rule, article: $0.article, message: erasedMessage) }
    }

    /// Puts the content on the suppression list (its SHA-256 and perceptual hash), so the same
    /// photo or a near-duplicate is rejected `ERASED_CONTENT` from now on.
    private static func suppress(_ sha256: String, erasedAt: String, in db: Database) throws {
        let phash = try Int64?.fetchOne(db, sql: "SELECT phash FROM image WHERE sha256 = ?", arguments: [sha256]) ?? nil
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO erased_content (sha256, erased_at, phash, phash_b0, phash_b1, phash_b2, phash_b3)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments([sha256, erasedAt, phash] as [(any DatabaseValueConvertible)?])
                + StatementArguments(NearDuplicates.bandArguments(phash.map { UInt64(bitPattern: $0) })))
    }
}
