/// The rules a policy can list, each owning a fixed set of reason codes.
public enum RuleID: String, CaseIterable, Sendable, Codable {
    case visibility
    case optOut = "opt_out"
    case residency
    case consent
    case minor
    case specialCategory = "special_category"
    case erasedContent = "erased_content"

    /// The reason codes this rule can produce.
    public var reasonCodes: [ReasonCode] {
        switch self {
        case .visibility: [.visibilityNotPublic]
        case .optOut: [.optedOut]
        case .residency:
            [
                .residencyUnknown, .residencyRestricted, .lawfulBasisMissing, .lawfulBasisInsufficient,
                .legitimateInterestsConditions, .consentWithdrawn, .consentPurposeMismatch,
            ]
        case .consent: [.consentWithdrawn, .consentPurposeMismatch]
        case .minor: [.minor]
        case .specialCategory: [.specialCategory]
        case .erasedContent: [.erasedContent]
        }
    }

    /// What the rule checks, for `GET /v1/policy`.
    public var summary: String {
        switch self {
        case .visibility: "Only photos posted publicly may be used."
        case .optOut: "Honour AI-training opt-outs, TDM rights reservations and registered objections."
        case .residency:
            "A subject with any signal in a restricted regime, or any subject of an operator established in one, needs "
                + "a valid lawful basis (demonstrable consent, or legitimate interests under their conditions where "
                + "allowed); a subject with no signal at all is rejected when a signal is required."
        case .consent: "A consent that was withdrawn or does not cover model training is never used, in any jurisdiction."
        case .minor: "Reject subjects below the minimum age, or below the Art. 8 age of a restricted country at the time if higher."
        case .specialCategory: "Art. 9 special categories need explicit consent."
        case .erasedContent: "Content erased under Art. 17 never comes back."
        }
    }
}
