/// The policy option `review_regimes`: how subjects in a review-tier regime are treated.
public enum ReviewRegimeTreatment: String, Hashable, Sendable, Encodable, CaseIterable {
    /// As in a restricted regime: a lawful basis is needed (the cautious default).
    case restricted
    /// As outside every regime.
    case open
}
