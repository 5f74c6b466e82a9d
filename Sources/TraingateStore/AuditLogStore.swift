import Foundation

/// The audit log outside admissions: entries of their own (policy changes, keys, erasures,
/// objections, training jobs), pages of it, verification against the anchored heads, and the
/// sealed facts of decisions. SQLite's `AuditStore`, or PostgreSQL's `PostgresAuditStore`.
public protocol AuditLogStore: Sendable {
    /// The anchored heads (docs/audit-format.md, "Anchors").
    var anchorFile: AuditAnchorFile { get }
    /// Appends an entry; returns it once it is durable.
    func append(_ record: AuditRecord) async throws -> AuditEntry
    /// Records a `policy_change` entry when the policy in force differs from the one the last
    /// such entry names (or none was recorded yet). Returns the new entry, or nil if unchanged.
    func recordPolicyInForce(id: String, version: String, at date: Date) async throws -> AuditEntry?
    /// The whole chain, recomputed, and checked against every anchored head.
    func verify() async throws -> AuditVerification
    /// Appends the current head to the anchor file unless it is anchored already.
    func anchorHead(at date: Date) async throws -> AuditAnchorFile.Anchor?
    /// A page of entries, in `seq` order.
    func entries(_ query: AuditQuery) async throws -> [AuditEntry]
    /// The sealed facts of a decision's entry, found through its admission: open, or erased.
    func facts(of entry: AuditEntry, keyring: SubjectKeyring) async throws -> SealedFacts
    /// The sealed facts of an entry, opened with its subject's key; nil once the key was erased.
    func unsealedFacts(of entry: AuditEntry, subjectLookup: String, keyring: SubjectKeyring) async throws -> [UInt8]?
}
