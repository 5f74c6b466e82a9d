import GRDB

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
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [source, imageID, subjectRef]) else {
            throw StoreError.corruptRecord("the write probe returned no row")
        }
        let wrapped: DatabaseValue = row[2]
        guard case .int64(let objected) = (row[1] as DatabaseValue).storage else {
            throw StoreError.corruptRecord("the objection check returned no integer")
        }
        return WriteProbe(
            currentAdmissionID: row[0],
            objectionRegistered: objected != 0,
            wrappedSubjectKey: wrapped.isNull ? nil : try Self.bytes(of: wrapped, lookup: subjectRef.hex))
    }

    private static func bytes(of value: DatabaseValue, lookup: String) throws -> [UInt8] {
        guard case .blob(let data) = value.storage else {
            throw StoreError.corruptRecord("the key of subject \(lookup.prefix(12))… is not a blob")
        }
        return Array(data)
    }
}
