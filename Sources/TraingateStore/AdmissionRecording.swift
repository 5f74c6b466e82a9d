/// Where decisions are recorded and read back: SQLite's `AdmissionStore`, or the PostgreSQL
/// store's `PostgresAdmissionStore` for several instances on one database. Both keep the same
/// guarantees: a decision, its audit entry and its queue change commit together and are
/// durable before `record` returns; the same body for the same (`source`, `image_id`) is
/// decided once; the subject's standing is read inside the write.
public protocol AdmissionRecording: Sendable {
    /// Records a decision, or finds that the same body was already decided.
    func record(_ submission: AdmissionSubmission) async throws -> AdmissionOutcome
    /// The decision with this id, current or superseded.
    func admission(id: String) async throws -> StoredAdmission?
    /// Whether the subject objected, and whether the content (or a near-duplicate) was erased.
    func standing(subjectRef: String, contentSHA256: String?, perceptualHash: UInt64?) async throws -> SubjectStanding
    /// Stored images within `distance` bits of `perceptualHash` (default: the configured
    /// near-duplicate distance), closest first.
    func similarImages(to perceptualHash: UInt64, distance: Int?) async throws -> [(sha256: String, distance: Int)]
    /// The training queue's admissions, oldest first.
    func queuedAdmissionIDs() async throws -> [String]
}

extension AdmissionRecording {
    public func standing(subjectRef: String, contentSHA256: String?) async throws -> SubjectStanding {
        try await standing(subjectRef: subjectRef, contentSHA256: contentSHA256, perceptualHash: nil)
    }

    public func similarImages(to perceptualHash: UInt64) async throws -> [(sha256: String, distance: Int)] {
        try await similarImages(to: perceptualHash, distance: nil)
    }
}
