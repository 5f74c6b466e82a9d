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

        package init(
            admission: StoredAdmission, facts: JSONValue?, embeddings: [String], trained: [(checkpointID: String, jobID: String, epochs: Int)]
        ) {
            self.admission = admission
            self.facts = facts
            self.embeddings = embeddings
            self.trained = trained
        }
    }

    /// When the subject's objection was registered, if it was.
    public let objectionRegisteredAt: String?
    /// Oldest first.
    public let admissions: [Admission]
    /// The access's own audit entry.
    public let audit: AuditEntry

    package init(objectionRegisteredAt: String?, admissions: [Admission], audit: AuditEntry) {
        self.objectionRegisteredAt = objectionRegisteredAt
        self.admissions = admissions
        self.audit = audit
    }

    /// The access's own audit entry: whether anything was held, the count, the format and the key.
    package static func record(found: Bool, admissions: Int, format: String, apiKey: String?, at: String) -> AuditRecord {
        var details: [String: JSONValue] = ["found": .bool(found), "admissions": .integer(admissions), "format": .string(format)]
        if let apiKey { details["api_key"] = .string(apiKey) }
        return AuditRecord(kind: .access, at: at, details: .object(details))
    }

    /// Whether anything at all is held about the subject.
    public var holdsAnything: Bool { objectionRegisteredAt != nil || !admissions.isEmpty }
}
