import Foundation
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// The audit log outside admissions on PostgreSQL (SQLite's is `AuditStore`). Appends go
/// through the instance's `PostgresAuditWriter` (group commit); the anchor file is the
/// instance's own, in its data directory (`audit-anchors.postgres-DATABASE.jsonl`), as each
/// instance anchors the heads it saw.
public struct PostgresAuditStore: AuditLogStore {
    private let store: PostgresStore
    private let writer: PostgresAuditWriter
    public let anchorFile: AuditAnchorFile

    public init(store: PostgresStore, writer: PostgresAuditWriter, anchorDirectory: URL) {
        self.store = store
        self.writer = writer
        anchorFile = AuditAnchorFile(directory: anchorDirectory, fileName: Self.anchorFileName(database: store.location.database))
    }

    private var log: PostgresAuditLog { PostgresAuditLog(database: store) }

    /// The anchors of the chain in `database`, kept apart from a SQLite store's in the same
    /// directory (and from another database's): a chain is only checked against its own heads.
    public static func anchorFileName(database: String) -> String {
        let safe = database.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? String($0) : "_" }.joined()
        return "audit-anchors.postgres-\(safe).jsonl"
    }

    public func append(_ record: AuditRecord) async throws -> AuditEntry {
        try await writer.append(record)
    }

    /// Under the chain head's lock, so that instances starting together with a new policy
    /// record it once.
    public func recordPolicyInForce(id: String, version: String, at date: Date) async throws -> AuditEntry? {
        try await store.transaction { [log, logger = store.logger] connection in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            let previous = try await log.latest(.policyChange, on: connection)?.policyVersion
            guard previous != version else { return nil }
            let record = AuditRecord(
                kind: .policyChange, at: Timestamp.format(date), policyVersion: version,
                details: .object(["policy_id": .string(id), "previous_version": previous.map(JSONValue.string) ?? .null]))
            return try await PostgresAuditChain.append(texts: store.committedTexts, [record], on: connection, logger: logger).first
        }
    }

    public func verify() async throws -> AuditVerification {
        try await log.verify(anchors: try anchorFile.anchors())
    }

    public func anchorHead(at date: Date) async throws -> AuditAnchorFile.Anchor? {
        let head = try await store.openClient().withConnection { [logger = store.logger] connection in
            try await PostgresAuditChain.head(on: connection, logger: logger)
        }
        return try anchorFile.anchor(head.seq == 0 ? nil : (head.seq, Hex.encode(head.hash)), at: date)
    }

    public func entries(_ query: AuditQuery) async throws -> [AuditEntry] {
        try await log.entries(query)
    }

    public func facts(of entry: AuditEntry, keyring: SubjectKeyring) async throws -> SealedFacts {
        guard let sealed = entry.sealed, let admissionID = entry.admissionID else { return .none }
        var binds = PostgresBindings()
        binds.append(admissionID)
        let rows = try await store.openClient().query(
            PostgresQuery(unsafeSQL: "SELECT subject_ref, erased_at FROM admission WHERE id = $1", binds: binds), logger: store.logger
        ).collect()
        guard let row = rows.first else {
            throw StoreError.corruptRecord("audit entry \(entry.seq) names admission \(admissionID), which is not stored")
        }
        let (lookup, erasedAt) = try row.decode((ByteBuffer?, String?).self)
        guard erasedAt == nil, let lookup else { return .erased }
        let key = try await existingKey(forLookup: Hex.encode(Array(buffer: lookup)), keyring: keyring)
        return try SealedFacts.opening(sealed, with: key, entry: entry.seq)
    }

    public func unsealedFacts(of entry: AuditEntry, subjectLookup: String, keyring: SubjectKeyring) async throws -> [UInt8]? {
        guard let sealed = entry.sealed else { return nil }
        return try await existingKey(forLookup: subjectLookup, keyring: keyring).map { try $0.open(sealed) }
    }

    /// The subject's key if it still exists (nil once erased).
    private func existingKey(forLookup lookup: String, keyring: SubjectKeyring) async throws -> SubjectKey? {
        let bytes = try PostgresBytes.hex(lookup, field: "the subject's lookup pseudonym")
        let rows = try await store.openClient().query(PostgresSubjectKeys.keyQuery(lookup: bytes), logger: store.logger).collect()
        return try PostgresSubjectKeys(keyring: keyring).existingKey(lookup: bytes, rows: rows)
    }
}
