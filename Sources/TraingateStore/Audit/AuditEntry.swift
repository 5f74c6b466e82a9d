/// One entry of the hash-chained audit log, as stored and as served.
public struct AuditEntry: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case decision
        case erasure
        case objection
        case policyChange = "policy_change"
        case trainingJob = "training_job"
    }

    public let seq: Int64
    /// RFC 3339 UTC.
    public let at: String
    public let kind: Kind
    public let admissionID: String?
    public let decision: String?
    public let reasonCodes: [String]
    public let policyVersion: String?
    /// Keyed pseudonym of the subject; never the subject id itself.
    public let subjectRef: String?
    public let prevHash: String
    public let hash: String
}
