import GRDB
import GRDBSQLite

/// What recording a decision must read before it writes, in one statement instead of three:
/// the current decision for the idempotency key, whether the subject objected (Art. 21), and
/// the subject's wrapped key. Each was a statement of its own, and statements are most of what
/// the serialized writer spends per admission (docs/benchmarks.md).
struct WriteProbe {
    /// The id of the current (not superseded) decision for (`source`, `image_id`), if any.
    let currentAdmissionID: String?
    let objectionRegistered: Bool
    /// The subject's key as stored (wrapped under the master key), nil before the first decision.
    let wrappedSubjectKey: [UInt8]?

    // One row always: each column is a scalar subquery.
    private static let sql = """
        SELECT (SELECT id FROM admission WHERE source = ?1 AND image_id = ?2 AND superseded_by IS NULL),
            EXISTS (SELECT 1 FROM objection WHERE subject_ref = ?3),
            (SELECT wrapped FROM subject_key WHERE lookup = ?3)
        """

    static func fetch(source: String, imageID: String, subjectRef: StoredLookup, in db: Database) throws -> WriteProbe {
        var query = RawStatement(try db.cachedStatement(sql: sql))
        query.bind(source)
        query.bind(imageID)
        query.bind(subjectRef.databaseValue)
        guard try query.step(in: db) else { throw StoreError.corruptRecord("the write probe returned no row") }
        defer { query.finish() }
        guard query.type(1) == SQLITE_INTEGER else { throw StoreError.corruptRecord("the objection check returned no integer") }
        let wrapped: [UInt8]?
        switch query.type(2) {
        case SQLITE_NULL: wrapped = nil
        case SQLITE_BLOB: wrapped = query.blob(2)
        default: throw StoreError.corruptRecord("the key of subject \(subjectRef.hex.prefix(12))… is not a blob")
        }
        return WriteProbe(currentAdmissionID: query.text(0), objectionRegistered: query.int64(1) != 0, wrappedSubjectKey: wrapped)
    }
}
