import StrictDocuments

/// Everything held about one subject (GDPR Art. 15), read in the transaction that audits the
/// access: every decision with the facts it was made on, where each stored copy is (queue,
/// embeddings) and which checkpoints it trained.
public struct SubjectReport: Sendable {
    /// One of the subject's decisions and what became of its image.
    public struct Admission: Sendable {
        public let admission: StoredAdmission
        /// The facts decided on, unsealed with the subject's key (null for entries written
        /// before sealing existed).
        public let facts: JSONValue?
        /// Checkpoints holding an embedding of the image.
        public let embeddings: [String]
        /// Checkpoints the image trained, with their job and the epochs it was trained for.
        public let trained: [(checkpointID: String, jobID: String, epochs: Int)]
    }

    /// When the subject's objection was registered, if it was.
    public let objectionRegisteredAt: String?
    /// Oldest first.
    public let admissions: [Admission]
    /// The access's own audit entry.
    public let audit: AuditEntry

    /// Whether anything at all is held about the subject.
    public var holdsAnything: Bool { objectionRegisteredAt != nil || !admissions.isEmpty }
}
