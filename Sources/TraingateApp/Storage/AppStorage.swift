import Crypto
import ServiceLifecycle
import TraingateStore

/// The store the app runs on, whichever backend holds it: each part behind the interface the
/// controllers use, the services that keep it, and what was read from it at start. Opened by
/// `AppStorage.sqlite` (the embedded default) or `AppStorage.postgres` (`storage.url`); the
/// rest of the composition does not know which.
struct AppStorage: Sendable {
    let admissions: any AdmissionRecording
    let audit: any AuditLogStore
    let keys: any APIKeyStoring
    let training: any TrainingJobStore
    let embeddings: any EmbeddingReading
    let subjects: any SubjectRightsHandling
    let manifest: any ManifestReading
    let admissibility: any AdmissibilityChecking
    let health: any StoreHealth
    /// How the trainer shares the store with other instances; nil when this instance is alone.
    let sharedTraining: TrainingWorker.SharedStore?
    /// Services that hold the store open: started first, stopped last (after the audit head's
    /// last anchor).
    let keepers: [any Service]
    /// Services that commit writes: stopped once the server and the trainer have, so that what
    /// they hand over is committed.
    let writers: [any Service]
    /// The backend itself.
    let handle: StoreHandle
    /// What the lookup pseudonyms are made with (`MasterKeyRotation`).
    let pseudonymKey: SymmetricKey
    /// The API keys as read at start.
    let startingKeys: [APIKey]
}
