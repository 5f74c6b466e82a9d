/// One admissible item of the training manifest (`GET /v1/training/manifest`): what an
/// external trainer needs to fetch and use it, and to find it again in a recheck.
public struct ManifestItem: Sendable, Equatable {
    public let admissionID: String
    /// SHA-256 of the photo as submitted, hex (the content hash an erasure suppresses; the
    /// stored copy is the minimised re-encoding of it).
    public let imageSHA256: String
    public let policyVersion: String
    /// The admission's audit sequence number: the manifest's order and its resume cursor.
    public let cursor: Int64
    /// The subject's pseudonym in the audit log, keyed by the subject's own key: it groups a
    /// subject's items (for a split by person, say) and, once an erasure destroys that key,
    /// can never be tied to the person again. Nil for decisions logged before audit format 2.
    public let subjectRef: String?

    package init(admissionID: String, imageSHA256: String, policyVersion: String, cursor: Int64, subjectRef: String?) {
        self.admissionID = admissionID
        self.imageSHA256 = imageSHA256
        self.policyVersion = policyVersion
        self.cursor = cursor
        self.subjectRef = subjectRef
    }
}
