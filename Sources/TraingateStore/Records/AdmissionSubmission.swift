import Foundation
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
    /// What the engine decides from: the request's facts (country signals resolved) and the
    /// policy in force. The write reads the subject's standing (objection, erased content) and,
    /// when it is not clear, calls the engine itself with it: the standing is read inside the
    /// write, so an objection registered a moment earlier is never missed.
    public let facts: AdmissionFacts
    public let policy: Policy
    /// The engine's decision for a clear standing (no objection, content not erased), the common
    /// case. The engine is pure, so the request's own task computes it before the write, and the
    /// single writer thread only decides again when the standing it reads is not clear.
    public let decision: Decision
    public let signals: [StoredSignal]
    /// The instant of the decision; the store writes it (RFC 3339 UTC) where it records it.
    public let decidedAt: Date
    public let image: ImageUpload?
    /// The name of the API key that asked (nil in development mode): recorded on the admission
    /// row and in the audit entry's details.
    public let apiKey: String?

    public init(
        source: String, imageID: String, subjectRef: String, subjectID: String, sealedFacts: [UInt8], requestHash: String,
        facts: AdmissionFacts, policy: Policy, decision: Decision, signals: [StoredSignal], decidedAt: Date, image: ImageUpload?,
        apiKey: String? = nil
    ) {
        self.apiKey = apiKey
        self.facts = facts
        self.policy = policy
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
