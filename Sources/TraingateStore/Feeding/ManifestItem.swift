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
}
