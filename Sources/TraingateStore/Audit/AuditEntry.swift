import StrictDocuments

/// One entry of the hash-chained audit log, as stored and as served.
public struct AuditEntry: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case decision
        case erasure
        case objection
        case policyChange = "policy_change"
        case trainingJob = "training_job"
        /// An API key created or revoked (`details`: `event`, `name`, `role`, `expires_at`).
        case apiKey = "api_key"
        /// A subject access request answered (Art. 15): `details` say whether anything was
        /// held, how many decisions were shown, in which format, and the key that asked.
        case access
    }

    /// What the hash covers.
    public let content: AuditChain.Content
    public let prevHash: String
    public let hash: String

    package init(content: AuditChain.Content, prevHash: String, hash: String) {
        self.content = content
        self.prevHash = prevHash
        self.hash = hash
    }

    public var version: Int { content.version }
    public var seq: Int64 { content.seq }
    /// RFC 3339 UTC.
    public var at: String { content.at }
    public var kind: Kind { content.kind }
    public var admissionID: String? { content.admissionID }
    public var decision: String? { content.decision }
    public var reasonCodes: [String] { content.reasonCodes }
    public var policyVersion: String? { content.policyVersion }
    /// Keyed pseudonym of the subject; never the subject id itself.
    public var subjectRef: String? { content.subjectRef }
    public var sealed: [UInt8]? { content.sealed }
    public var details: JSONValue? { content.details }
}
