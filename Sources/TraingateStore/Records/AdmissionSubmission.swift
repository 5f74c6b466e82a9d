import PolicyEngine

/// A decided admission on its way into the store.
public struct AdmissionSubmission: Sendable {
    public let source: String
    public let imageID: String
    /// The subject's lookup pseudonym (HMAC under the master key): finds its key and its rows.
    public let subjectRef: String
    /// The raw subject id: it reaches the database only sealed, inside the audit entry.
    public let subjectID: String
    /// The decision's input facts (canonical JSON), sealed into the audit entry under the
    /// subject's key.
    public let sealedFacts: [UInt8]
    /// Canonical hash of the request body; equal hashes for the same key mean "already decided".
    public let requestHash: String
    /// The decision for a subject with no objection and content not erased (the common case).
    public let decision: Decision
    /// Decides again when the transaction finds an objection or erased content: the standing is
    /// read inside the write, so an objection registered a moment earlier is never missed.
    public let redecide: @Sendable (SubjectStanding) -> Decision
    public let signals: [StoredSignal]
    /// RFC 3339 UTC.
    public let decidedAt: String
    public let image: ImageUpload?

    public init(
        source: String, imageID: String, subjectRef: String, subjectID: String, sealedFacts: [UInt8], requestHash: String, decision: Decision,
        redecide: @escaping @Sendable (SubjectStanding) -> Decision, signals: [StoredSignal], decidedAt: String,
        image: ImageUpload?
    ) {
        self.redecide = redecide
        self.source = source
        self.imageID = imageID
        self.subjectRef = subjectRef
        self.subjectID = subjectID
        self.sealedFacts = sealedFacts
        self.requestHash = requestHash
        self.decision = decision
        self.signals = signals
        self.decidedAt = decidedAt
        self.image = image
    }
}
