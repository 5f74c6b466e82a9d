/// What external trainers read (`GET /v1/training/manifest` and the stored copies): the
/// admitted, still-lawful items, resumable by cursor. SQLite's `TrainingManifest` or
/// PostgreSQL's `PostgresTrainingManifest`.
public protocol ManifestReading: Sendable {
    /// Items still in the training queue with a cursor greater than `after`, oldest first.
    func page(after: Int64, limit: Int) async throws -> [ManifestItem]
    /// The stored copy of a queued admission's image; nil once it is no longer admissible.
    func image(of admissionID: String) async throws -> (bytes: [UInt8], contentType: String)?
}

/// Whether admissions are still admissible (`POST /v1/admissions/recheck`), and if not, why.
/// SQLite's `AdmissibilityCheck` or PostgreSQL's `PostgresAdmissibilityCheck`.
public protocol AdmissibilityChecking: Sendable {
    func check(_ admissionIDs: [String]) async throws -> [String: Admissibility]
}
