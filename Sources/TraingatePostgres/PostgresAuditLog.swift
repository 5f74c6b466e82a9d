import Logging
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// Reads the audit chain on PostgreSQL: pages of entries, and verification, which recomputes
/// every hash from the stored fields exactly as SQLite's `AuditLog.verify` does
/// (`ChainVerifier`).
public struct PostgresAuditLog: Sendable {
    let database: PostgresStore

    public init(database: PostgresStore) {
        self.database = database
    }

    /// Every column under its documented name; the policy version as its text. `linked` reads a
    /// `prev_hash` not stored (the hash of the entry before) from that entry, for pages that do
    /// not start at the first entry; verification streams in order and links the rows itself.
    private static func selectEntries(linked: Bool) -> String {
        let prevHash = linked ? "coalesce(e.prev_hash, (SELECT b.hash FROM audit_entry b WHERE b.seq = e.seq - 1))" : "e.prev_hash"
        return """
            SELECT e.seq, e.v, e.at, e.kind, e.admission_id, e.decision, e.reason_codes, k.version, e.subject_ref, e.sealed,
                e.details, \(prevHash), e.hash
            FROM audit_entry e LEFT JOIN known_policy_version k ON k.id = e.policy_version
            """
    }

    private typealias Row = (
        Int64, Int32, String, String, String?, String?, String, String?, ByteBuffer?, ByteBuffer?, String?, ByteBuffer?, ByteBuffer
    )

    /// Entries after `seq`, oldest first.
    public func entries(after seq: Int64 = 0, limit: Int = 1000) async throws -> [AuditEntry] {
        try await entries(AuditQuery(after: seq, limit: limit))
    }

    /// A page of entries, filtered as `GET /v1/audit` asks, in `seq` order.
    public func entries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var conditions = ["e.seq > $1"]
        var binds = PostgresBindings()
        binds.append(query.after)
        func filter(_ condition: String, _ value: String?) {
            guard let value else { return }
            binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "$?", with: "$\(conditions.count + 1)"))
        }
        filter("e.kind = $?", query.kind?.rawValue)
        filter("e.decision = $?", query.decision)
        filter("e.reason_codes::jsonb ? $?", query.reason)
        // As instants: RFC 3339 texts with and without fractions do not sort as text.
        filter("e.at::timestamptz >= $?::timestamptz", query.since)
        filter("e.at::timestamptz < $?::timestamptz", query.until)
        binds.append(Int64(query.limit))
        let sql = Self.selectEntries(linked: true) + " WHERE \(conditions.joined(separator: " AND ")) ORDER BY e.seq LIMIT $\(conditions.count + 1)"
        let rows = try await database.openClient().query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: database.logger)
        var entries: [AuditEntry] = []
        for try await row in rows.decode(Row.self) {
            guard let entry = Self.entry(row, previous: nil) else {
                throw StoreError.corruptRecord("audit entry \(row.0) does not decode; run `traingate audit verify`")
            }
            entries.append(entry)
        }
        return entries
    }

    /// The newest entry of `kind`.
    func latest(_ kind: AuditEntry.Kind, on connection: PostgresConnection) async throws -> AuditEntry? {
        var binds = PostgresBindings()
        binds.append(kind.rawValue)
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: Self.selectEntries(linked: true) + " WHERE e.kind = $1 ORDER BY e.seq DESC LIMIT 1", binds: binds),
            logger: database.logger)
        for try await row in rows.decode(Row.self) { return Self.entry(row, previous: nil) }
        return nil
    }

    /// Recomputes every hash, checks the chain against `anchors`, and checks that the chain's
    /// head row names the last entry. Reads one snapshot (a repeatable-read transaction), so
    /// appends made meanwhile by any instance neither break nor extend what it checks.
    public func verify(anchors: [AuditAnchorFile.Anchor] = []) async throws -> AuditVerification {
        let logger = database.logger
        return try await database.openClient().withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                let verdict = try await Self.verify(anchors: anchors, on: connection, logger: logger)
                try await connection.query("COMMIT", logger: logger)
                return verdict
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    private static func verify(
        anchors: [AuditAnchorFile.Anchor], on connection: PostgresConnection, logger: Logger
    ) async throws -> AuditVerification {
        var verifier = ChainVerifier(anchors: anchors)
        var previous: (seq: Int64, hash: [UInt8])?
        let rows = try await connection.query(PostgresQuery(unsafeSQL: selectEntries(linked: false) + " ORDER BY e.seq"), logger: logger)
        for try await row in rows.decode(Row.self) {
            guard let stored = entry(row, previous: previous) else { return verifier.undecodable(at: row.0) }
            if let broken = verifier.check(stored) { return broken }
            previous = (stored.seq, Hex.decode(stored.hash) ?? [])
        }
        let head = try await PostgresAuditChain.head(on: connection, logger: logger)
        let last = verifier.head
        guard head.seq == (last?.seq ?? 0), Hex.encode(head.hash) == (last?.hash ?? AuditChain.genesisHash) else {
            return verifier.broken(
                at: verifier.expectedSeq,
                "the chain's head names seq \(head.seq), but the log ends at seq \(last?.seq ?? 0): entries were removed or the head was moved")
        }
        return verifier.finish()
    }

    /// A row as an entry, or nil when a value is not one traingate writes (an edit made outside
    /// it). A stored `prev_hash` of NULL is the hash of the entry before, or the genesis hash.
    private static func entry(_ row: Row, previous: (seq: Int64, hash: [UInt8])?) -> AuditEntry? {
        let (seq, version, at, kindText, admissionID, decision, reasonsText, policyVersion, subjectRef, sealed, detailsText, prevHash, hash) =
            row
        guard let kind = AuditEntry.Kind(rawValue: kindText), let reasonCodes = JSONText.decode([String].self, from: reasonsText),
            hash.readableBytes == 32, subjectRef.map({ $0.readableBytes == 32 }) ?? true
        else { return nil }
        var details: JSONValue?
        if let detailsText {
            guard let parsed = try? JSONValue.parse(Array(detailsText.utf8)) else { return nil }
            details = parsed
        }
        let link: [UInt8]
        if let prevHash {
            link = Array(buffer: prevHash)
        } else if let previous, previous.seq == seq - 1 {
            link = previous.hash
        } else {
            link = [UInt8](repeating: 0, count: 32)
        }
        return AuditEntry(
            content: AuditChain.Content(
                version: Int(version), seq: seq, at: at, kind: kind, admissionID: admissionID, decision: decision,
                reasonCodes: reasonCodes, policyVersion: policyVersion, subjectRef: subjectRef.map { Hex.encode(Array(buffer: $0)) },
                sealed: sealed.map { Array(buffer: $0) }, details: details),
            prevHash: Hex.encode(link), hash: Hex.encode(Array(buffer: hash)))
    }
}
