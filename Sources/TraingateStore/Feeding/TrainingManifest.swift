import Foundation
import GRDB

/// The training queue as pages for external trainers, in the order the decisions were logged:
/// a page starts after a cursor (an audit seq, which is never reused), so a reader that
/// stopped resumes where it was, and items admitted meanwhile come after it.
public struct TrainingManifest: ManifestReading {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// At most `limit` queued items whose cursor is above `after`. The subject pseudonym is the
    /// decision's audit `subject_ref` (keyed by the subject's own key), and only from audit
    /// format 2 on: format 1 logged the master-keyed lookup pseudonym, which outlives erasure.
    public func page(after: Int64, limit: Int) async throws -> [ManifestItem] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, q.image_sha256, \(CompactColumns.policyVersion("e.policy_version")), a.audit_seq,
                        CASE WHEN e.v >= 2 THEN \(CompactColumns.hex("e.subject_ref")) END
                    FROM admission a JOIN queue_item q ON q.admission_id = a.id
                    JOIN audit_entry e ON e.seq = a.audit_seq
                    WHERE a.audit_seq > ? ORDER BY a.audit_seq LIMIT ?
                    """, arguments: [after, limit]
            ).map { row in
                ManifestItem(
                    admissionID: row[0], imageSHA256: row[1], policyVersion: row[2], cursor: row[3], subjectRef: row[4])
            }
        }
    }

    /// The stored copy of a queued item (its bytes and content type); nil when the item is not
    /// in the queue any more, so nothing that stopped being admissible is served.
    public func image(of admissionID: String) async throws -> (bytes: [UInt8], contentType: String)? {
        try await database.writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT i.bytes, i.content_type FROM queue_item q JOIN image i ON i.sha256 = q.image_sha256
                    WHERE q.admission_id = ?
                    """, arguments: [admissionID]
            ).map { row in (Array(row[0] as Data), row[1]) }
        }
    }
}
