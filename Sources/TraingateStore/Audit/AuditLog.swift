import Foundation
import GRDB
import GRDBSQLite
import StrictDocuments

/// Appends to and reads the audit chain. Appends happen inside the caller's write transaction,
/// so an entry commits together with the state change it records.
public enum AuditLog {
    /// Appends one entry after the current head: the only way anything enters the log. Must run
    /// inside a write transaction; the database serialises writers, so the chain cannot fork.
    static func append(_ record: AuditRecord, in db: Database) throws -> AuditEntry {
        let head = try rawHead(in: db)
        let content = AuditChain.Content(
            seq: (head?.seq ?? 0) + 1, at: record.at, kind: record.kind, admissionID: record.admissionID,
            decision: record.decision, reasonCodes: record.reasonCodes, policyVersion: record.policyVersion,
            subjectRef: record.subjectRef, sealed: record.sealed, details: record.details)
        // The chain link in raw bytes, as stored: hex only for the entry handed back.
        let digest = AuditChain.digest(prevHash: head?.hash ?? Self.genesis, content: content)
        let entry = AuditEntry(
            content: content, prevHash: head.map { Hex.encode($0.hash) } ?? AuditChain.genesisHash, hash: Hex.encode(digest))
        // Stored compactly (`CompactColumns`): hashes and the pseudonym as bytes, the policy
        // version by reference, and no `prev_hash`, which is the hash of the entry before.
        let policyVersionID =
            try record.knownPolicyVersionID ?? entry.policyVersion.map { try InternedText.policyVersions.reference(to: $0, in: db) }
        var insert = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO audit_entry (seq, v, at, kind, admission_id, decision, reason_codes, policy_version,
                        subject_ref, sealed, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """))
        insert.bind(entry.seq)
        insert.bind(entry.version)
        insert.bind(entry.at)
        insert.bind(entry.kind.rawValue)
        insert.bind(entry.admissionID)
        insert.bind(entry.decision)
        insert.bind(JSONText.encode(.array(entry.reasonCodes.map(JSONValue.string))))
        insert.bind(policyVersionID)
        insert.bind(bytes: try entry.subjectRef.map { try HexColumn.bytes(of: $0, field: "audit entry's subject_ref") })
        insert.bind(bytes: entry.sealed)
        insert.bind(entry.details.map(JSONText.encode))
        insert.bind(bytes: digest)
        try insert.execute(in: db)
        return entry
    }

    private static let genesis = [UInt8](repeating: 0, count: 32)

    /// The newest entry's position and hash (nil while the log is empty).
    static func head(in db: Database) throws -> (seq: Int64, hash: String)? {
        try rawHead(in: db).map { (seq: $0.seq, hash: Hex.encode($0.hash)) }
    }

    /// The same, with the hash as its 32 bytes.
    private static func rawHead(in db: Database) throws -> (seq: Int64, hash: [UInt8])? {
        // Read raw: once per append, on the serialized writer.
        let query = RawStatement(try db.cachedStatement(sql: "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"))
        guard try query.step(in: db) else { return nil }
        defer { query.finish() }
        // An edited head must fail the append with a clear error, not trap in a conversion.
        guard query.type(0) == SQLITE_INTEGER, let hash = query.blob(1), hash.count == 32 else {
            throw StoreError.corruptRecord("the newest audit entry does not decode; run `traingate audit verify`")
        }
        return (seq: query.int64(0), hash: hash)
    }

    /// One page of entries in `seq` order.
    public static func entries(_ query: AuditQuery, in db: Database) throws -> [AuditEntry] {
        // julianday: RFC 3339 strings with and without fractions do not sort as text.
        // The index by kind leaves decisions out; naming that lets SQLite use it for other kinds.
        let kind = query.kind.map { $0 == .decision ? "e.kind = ?" : "e.kind = ? AND e.kind <> 'decision'" }
        let filters: [(condition: String, value: String?)] = [
            (kind ?? "", query.kind?.rawValue),
            ("e.decision = ?", query.decision),
            ("EXISTS (SELECT 1 FROM json_each(e.reason_codes) WHERE value = ?)", query.reason),
            ("julianday(e.at) >= julianday(?)", query.since),
            ("julianday(e.at) < julianday(?)", query.until),
        ]
        var conditions = ["e.seq > ?"]
        var arguments: StatementArguments = [query.after]
        for filter in filters {
            guard let value = filter.value else { continue }
            conditions.append(filter.condition)
            _ = arguments.append(contentsOf: [value])
        }
        _ = arguments.append(contentsOf: [query.limit])
        let sql = "SELECT \(CompactColumns.auditEntry) FROM audit_entry e WHERE \(conditions.joined(separator: " AND ")) ORDER BY e.seq LIMIT ?"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(decodedEntry(from:))
    }

    /// The most recent entry of a kind other than decisions (which the index by kind leaves out).
    static func latest(_ kind: AuditEntry.Kind, in db: Database) throws -> AuditEntry? {
        precondition(kind != .decision, "the index by kind holds no decisions")
        return try Row.fetchOne(
            db,
            sql: """
                SELECT \(CompactColumns.auditEntry) FROM audit_entry e WHERE e.kind = ? AND e.kind <> 'decision'
                ORDER BY e.seq DESC LIMIT 1
                """, arguments: [kind.rawValue]
        ).map(decodedEntry(from:))
    }

    /// Recomputes every hash from the stored fields, then checks the chain against the anchored
    /// heads; the first entry that does not hold is reported.
    public static func verify(in db: Database, anchors: [AuditAnchorFile.Anchor] = []) throws -> AuditVerification {
        var verifier = ChainVerifier(anchors: anchors)
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(CompactColumns.auditEntry) FROM audit_entry e ORDER BY e.seq")
        while let row = try cursor.next() {
            guard let stored = entry(from: row) else { return verifier.undecodable(at: StoredColumns(row).integer("seq").required) }
            if let broken = verifier.check(stored) { return broken }
        }
        return verifier.finish()
    }

    /// A stored row as an entry, or nil when a column does not decode (changed outside traingate).
    /// Columns are read by their storage class, never converted: a row edited to hold `'x'` in `v`
    /// or a blob in `at` is reported as broken, not trapped on or quietly coerced.
    static func entry(from row: Row) -> AuditEntry? {
        let columns = StoredColumns(row)
        guard let version = columns.integer("v").required, let seq = columns.integer("seq").required,
            let at = columns.text("at").required, let kind = columns.text("kind").required.flatMap(AuditEntry.Kind.init(rawValue:)),
            let reasonCodes = columns.text("reason_codes").required.flatMap({ JSONText.decode([String].self, from: $0) }),
            let prevHash = columns.text("prev_hash").required, let hash = columns.text("hash").required,
            case .decoded(let admissionID) = columns.text("admission_id"), case .decoded(let decision) = columns.text("decision"),
            case .decoded(let policyVersion) = columns.text("policy_version"),
            case .decoded(let subjectRef) = columns.text("subject_ref"), case .decoded(let sealed) = columns.blob("sealed"),
            case .decoded(let detailsText) = columns.text("details")
        else { return nil }
        var details: JSONValue?
        if let detailsText {
            guard let parsed = try? JSONValue.parse(Array(detailsText.utf8)) else { return nil }
            details = parsed
        }
        return AuditEntry(
            content: AuditChain.Content(
                version: Int(version), seq: seq, at: at, kind: kind, admissionID: admissionID,
                decision: decision, reasonCodes: reasonCodes, policyVersion: policyVersion,
                subjectRef: subjectRef, sealed: sealed, details: details),
            prevHash: prevHash, hash: hash)
    }

    /// For reads that hand entries out: an undecodable row is an error, not a gap.
    static func decodedEntry(from row: Row) throws -> AuditEntry {
        guard let entry = entry(from: row) else {
            throw StoreError.corruptRecord(
                "audit entry \(StoredColumns(row).integer("seq").required ?? -1) does not decode; run `traingate audit verify`")
        }
        return entry
    }
}
