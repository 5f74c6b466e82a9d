/// Whether an admission may still be trained on, and if not, why: the answer of
/// `POST /v1/admissions/recheck` for one id. Only a queued item is admissible: every way out
/// of the queue (a later rejection, an objection, a withdrawal of consent, an erasure) has its
/// own reason, so an external trainer can log why it dropped an item.
public enum Admissibility: String, Sendable, Equatable {
    /// In the training queue: admitted, with a stored copy, nothing against it since.
    case queued
    /// No admission has this id.
    case notFound = "not_found"
    /// The decision was a rejection.
    case rejected
    /// A later decision for the same `(source, image_id)` replaced it.
    case superseded
    /// The subject's data was erased (Art. 17).
    case erased
    /// The subject objected to the processing (Art. 21).
    case objected
    /// A later request of the subject withdrew the consent it rested on (Art. 7(3)).
    case consentWithdrawn = "consent_withdrawn"
    /// Admitted without an image: there is nothing to train on (never queued).
    case noImage = "no_image"
    /// Out of the queue for none of the reasons above (not expected; named rather than guessed).
    case notQueued = "not_queued"

    public var isAdmissible: Bool { self == .queued }
}
