import StrictDocuments

/// What a state change asks the audit log to append; `AuditLog.append` gives it its place
/// (`seq`) and its hash. Every kind of entry goes through that one function.
public struct AuditRecord: Sendable {
    public var kind: AuditEntry.Kind
    /// RFC 3339 UTC.
    public var at: String
    public var admissionID: String?
    public var decision: String?
    public var reasonCodes: [String]
    public var policyVersion: String?
    public var subjectRef: String?
    public var sealed: [UInt8]?
    public var details: JSONValue?
    /// `policyVersion`'s id in `known_policy_version` when a committed transaction already
    /// showed it (`CommittedTextIDs`); nil to look it up.
    var knownPolicyVersionID: Int64?

    public init(
        kind: AuditEntry.Kind, at: String, admissionID: String? = nil, decision: String? = nil, reasonCodes: [String] = [],
        policyVersion: String? = nil, subjectRef: String? = nil, sealed: [UInt8]? = nil, details: JSONValue? = nil
    ) {
        self.kind = kind
        self.at = at
        self.admissionID = admissionID
        self.decision = decision
        self.reasonCodes = reasonCodes
        self.policyVersion = policyVersion
        self.subjectRef = subjectRef
        self.sealed = sealed
        self.details = details
    }
}
