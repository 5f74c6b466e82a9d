/// The stable reason codes of the API contract, in the order the default policy reports them.
public enum ReasonCode: String, CaseIterable, Sendable, Codable {
    case visibilityNotPublic = "VISIBILITY_NOT_PUBLIC"
    case optedOut = "OPTED_OUT"
    case residencyUnknown = "RESIDENCY_UNKNOWN"
    case residencyRestricted = "RESIDENCY_RESTRICTED"
    case lawfulBasisMissing = "LAWFUL_BASIS_MISSING"
    case lawfulBasisInsufficient = "LAWFUL_BASIS_INSUFFICIENT"
    case consentWithdrawn = "CONSENT_WITHDRAWN"
    case consentPurposeMismatch = "CONSENT_PURPOSE_MISMATCH"
    case minor = "MINOR"
    case specialCategory = "SPECIAL_CATEGORY"
    case erasedContent = "ERASED_CONTENT"

    /// The legal provision the code rests on, as shown to auditors.
    public var article: String {
        switch self {
        case .visibilityNotPublic: "GDPR Art. 5(1)(a), Art. 5(1)(b)"
        case .optedOut: "GDPR Art. 21; AI Act Art. 53(1)(c); DSM Directive Art. 4(3)"
        case .residencyUnknown: "GDPR Art. 3(2)"
        case .residencyRestricted: "GDPR Art. 3, Art. 6(1)"
        case .lawfulBasisMissing: "GDPR Art. 6(1)"
        case .lawfulBasisInsufficient: "GDPR Art. 6(1)(a), Art. 6(1)(f)"
        case .consentWithdrawn: "GDPR Art. 7(3)"
        case .consentPurposeMismatch: "GDPR Art. 6(1)(a), Art. 5(1)(b)"
        case .minor: "GDPR Art. 8"
        case .specialCategory: "GDPR Art. 9(1), Art. 9(2)(a)"
        case .erasedContent: "GDPR Art. 17"
        }
    }
}
