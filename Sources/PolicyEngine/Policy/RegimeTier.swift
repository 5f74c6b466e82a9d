/// How sure the reference data is that a regime's law copies the GDPR's rules.
public enum RegimeTier: String, Hashable, Sendable, Encodable, CaseIterable {
    /// It does: its subjects need a lawful basis (when the policy lists it as restricted).
    case restricted
    /// Close to the GDPR or unclear: the policy option `review_regimes` decides.
    case review
}
