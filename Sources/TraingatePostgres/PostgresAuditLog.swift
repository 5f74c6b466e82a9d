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

    /// Every column under its documented name; the policy version as its text.
    private static let selectEntries = """
        SELECT e.seq, e.v, e.at, e.kind, e.admission_id, e.decision, e.reason_codes, k.version, e.subject_ref, e.sealed,
            e.details, e.prev_hash, e.hash
        FROM audit_entry e LEFT JOIN known_policy_version k ON k.id = e.policy_version
        """

    private typealias Row = (
        Int64, Int32, String, String, String?, String?, String, String?, ByteBuffer?, ByteBuffer?, String?, ByteBuffer?, ByteBuffer
    )

    /// Entries after `seq`, oldest first.
    public func entries(after seq: Int64 = 0, limit: Int = 1000) async throws -> [AuditEntry] {
        let logger = database.logger
        let rows = try await database.openClient().query(
            PostgresQuery(unsafeSQL: Self.selectEntries + " WHERE e.seq > $1 ORDER BY e.seq LIMIT $2", binds: try Self.binds(seq, Int64(limit))),
            logger: logger)
        var entries: [AuditEntry] = []
        var previousHash: (seq: Int64, hash: [UInt8])?
        for try await row in rows.decode(Row.self) {
            guard let entry = Self.entry(row, previous: previousHash) else {
                throw StoreError.corruptRecord("audit entry \(row.0) does not decode; run `traingate audit verify`")
            }
            entries.append(entry)
            previousHash = (entry.seq, Hex.decode(entry.hash) ?? [])
        }
        return entries
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
        let rows = try await connection.query(PostgresQuery(unsafeSQL: selectEntries + " ORDER BY e.seq"), logger: logger)
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

    private static func binds(_ values: Int64...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
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
