/// The stable reason codes of the API contract, in the order the default policy reports them.
public enum ReasonCode: String, CaseIterable, Sendable, Codable {
    case visibilityNotPublic = "VISIBILITY_NOT_PUBLIC"
    case optedOut = "OPTED_OUT"
    case residencyUnknown = "RESIDENCY_UNKNOWN"
    case residencyRestricted = "RESIDENCY_RESTRICTED"
    case lawfulBasisMissing = "LAWFUL_BASIS_MISSING"
    case lawfulBasisInsufficient = "LAWFUL_BASIS_INSUFFICIENT"
    case legitimateInterestsConditions = "LEGITIMATE_INTERESTS_CONDITIONS"
    case consentWithdrawn = "CONSENT_WITHDRAWN"
    case consentPurposeMismatch = "CONSENT_PURPOSE_MISMATCH"
    case minor = "MINOR"
    case specialCategory = "SPECIAL_CATEGORY"
    case erasedContent = "ERASED_CONTENT"
}
