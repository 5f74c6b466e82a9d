import Crypto
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// Appends to the audit chain inside a caller's transaction on PostgreSQL, with the same
/// entries, bytes and hashes as SQLite's `AuditLog.append` (docs/audit-format.md).
enum PostgresAuditChain {
    /// Locks the chain head (`audit_head`, released when the transaction ends), appends
    /// `records` after it in order, and moves the head, in one statement. The lock is held
    /// only for this tail of the transaction and its commit.
    /// - Parameter lockedHead: the head as this transaction read it with its lock, when it
    ///   holds the lock already (the read is then saved).
    static func append(
        texts: PostgresCommittedTexts, _ records: [AuditRecord], after lockedHead: (seq: Int64, hash: [UInt8])? = nil,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [AuditEntry] {
        guard !records.isEmpty else { return [] }
        var write = PostgresCombinedWrite(on: connection, logger: logger)
        let entries = try await append(texts: texts, records, after: lockedHead, to: &write)
        try await write.run()
        return entries
    }

    /// Adds `records`' entries after the head, and the head's move, to `write`, which the
    /// caller sends within the transaction (with writes of its own). Reads the head, with its
    /// lock, unless `lockedHead` is given.
    static func append(
        texts: PostgresCommittedTexts, _ records: [AuditRecord], after lockedHead: (seq: Int64, hash: [UInt8])?,
        to write: inout PostgresCombinedWrite
    ) async throws -> [AuditEntry] {
        guard !records.isEmpty else { return [] }
        var head: (seq: Int64, hash: [UInt8])
        if let lockedHead {
            head = lockedHead
        } else {
            head = try await self.head(on: write.connection, locking: true, logger: write.logger)
        }
        let policyVersionIDs = try await PostgresInternedText.policyVersions.ids(
            of: Set(records.compactMap(\.policyVersion)), committed: texts, on: write.connection, logger: write.logger)
        var entries: [AuditEntry] = []
        entries.reserveCapacity(records.count)
        var rows: [(content: AuditChain.Content, hash: [UInt8], policyVersionID: Int64?)] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let content = AuditChain.Content(
                seq: head.seq + 1, at: record.at, kind: record.kind, admissionID: record.admissionID, decision: record.decision,
                reasonCodes: record.reasonCodes, policyVersion: record.policyVersion, subjectRef: record.subjectRef,
                sealed: record.sealed, details: record.details)
            let digest = Array(AuditChain.digest(prevHash: head.hash, content: content))
            entries.append(AuditEntry(content: content, prevHash: Hex.encode(head.hash), hash: Hex.encode(digest)))
            rows.append((content, digest, record.policyVersion.flatMap { policyVersionIDs[$0] }))
            head = (content.seq, digest)
        }
        try await write.insert(insert, rows)
        let moved = head
        try await write.statement(parameters: 2, { "UPDATE audit_head SET seq = $\($0), hash = $\($0 + 1)" }) { bindings in
            bindings.append(moved.seq)
            bindings.append(ByteBuffer(bytes: moved.hash))
        }
        return entries
    }

    /// The newest entry's position and hash as the head row names them (seq 0 and the genesis
    /// hash while the log is empty); `locking` keeps other writers off it until the
    /// transaction ends.
    static func head(on connection: PostgresConnection, locking: Bool = false, logger: Logger) async throws -> (seq: Int64, hash: [UInt8]) {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT seq, hash FROM audit_head" + (locking ? " FOR UPDATE" : "")), logger: logger)
        for try await (seq, hash) in rows.decode((Int64, ByteBuffer).self) {
            guard hash.readableBytes == 32 else {
                throw StoreError.corruptRecord("the audit chain's head does not decode; run `traingate audit verify`")
            }
            return (seq, Array(buffer: hash))
        }
        throw StoreError.corruptRecord("the audit chain's head row is missing; run `traingate audit verify`")
    }

    /// The stored columns; `prev_hash` is not stored, being the hash of the entry before.
    private static let insert = PostgresInsert<(content: AuditChain.Content, hash: [UInt8], policyVersionID: Int64?)>(
        table: "audit_entry",
        columns: ["seq", "v", "at", "kind", "admission_id", "decision", "reason_codes", "policy_version", "subject_ref", "sealed", "details", "hash"]
    ) { row, bindings in
        let content = row.content
        bindings.append(content.seq)
        bindings.append(Int32(content.version))
        bindings.append(content.at)
        bindings.append(content.kind.rawValue)
        bindings.append(content.admissionID)
        bindings.append(content.decision)
        bindings.append(JSONText.encode(.array(content.reasonCodes.map(JSONValue.string))))
        bindings.append(row.policyVersionID)
        bindings.append(try content.subjectRef.map { try PostgresBytes.hex($0, field: "an audit record's subject_ref") })
        bindings.append(content.sealed.map { ByteBuffer(bytes: $0) })
        bindings.append(content.details.map(JSONText.encode))
        bindings.append(ByteBuffer(bytes: row.hash))
    }
}
