import Foundation
import GRDB
import StrictDocuments

/// The audit log outside admissions: entries of their own (policy changes, later training jobs,
/// erasures, objections), queries, verification and unsealing.
public struct AuditStore: Sendable {
    private let database: AppDatabase
    /// The anchored heads, next to the database file.
    public let anchorFile: AuditAnchorFile

    public init(database: AppDatabase) {
        self.database = database
        anchorFile = AuditAnchorFile(directory: URL(fileURLWithPath: database.path).deletingLastPathComponent())
    }

    /// Appends an entry in a transaction of its own.
    @discardableResult
    public func append(_ record: AuditRecord) async throws -> AuditEntry {
        try await database.writer.write { db in try AuditLog.append(record, in: db) }
    }

    /// Records a `policy_change` entry when the policy in force differs from the one the last
    /// such entry names (or none was recorded yet). Returns the new entry, or nil if unchanged.
    /// Synchronous: it runs once, at start-up, before the server takes requests.
    @discardableResult
    public func recordPolicyInForce(id: String, version: String, at: String) throws -> AuditEntry? {
        try database.writer.write { db in
            let previous = try AuditLog.latest(.policyChange, in: db)?.policyVersion
            guard previous != version else { return nil }
            return try AuditLog.append(
                AuditRecord(
                    kind: .policyChange, at: at, policyVersion: version,
                    details: .object(["policy_id": .string(id), "previous_version": previous.map(JSONValue.string) ?? .null])),
                in: db)
        }
    }

    /// The whole chain, recomputed, and checked against every anchored head.
    public func verify() async throws -> AuditVerification {
        let anchors = try anchorFile.anchors()
        return try await database.writer.read { db in try AuditLog.verify(in: db, anchors: anchors) }
    }

    /// Appends the current head to the anchor file unless it is anchored already.
    /// - Returns: the new anchor, or nil when there was nothing new to anchor.
    @discardableResult
    public func anchorHead(at: String) async throws -> AuditAnchorFile.Anchor? {
        guard let head = try await database.writer.read({ db in try AuditLog.head(in: db) }) else { return nil }
        if let last = try anchorFile.anchors().last, last.seq >= head.seq { return nil }
        let anchor = AuditAnchorFile.Anchor(seq: head.seq, hash: head.hash, at: at)
        try anchorFile.append(anchor)
        return anchor
    }

    public func entries(_ query: AuditQuery = AuditQuery()) async throws -> [AuditEntry] {
        try await database.writer.read { db in try AuditLog.entries(query, in: db) }
    }

    /// The sealed facts of an entry, opened with its subject's key; nil once the key was erased.
    public func unsealedFacts(of entry: AuditEntry, subjectLookup: String, keyring: SubjectKeyring) async throws -> [UInt8]? {
        guard let sealed = entry.sealed else { return nil }
        return try await database.writer.read { db in
            try keyring.existingKey(forLookup: subjectLookup, in: db).map { try $0.open(sealed) }
        }
    }
}
