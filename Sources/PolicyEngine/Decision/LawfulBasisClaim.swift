import Foundation

/// The GDPR Art. 6(1) basis a source claims for using the photo, with the consent lifecycle and
/// the legitimate-interests paperwork.
public struct LawfulBasisClaim: Hashable, Sendable {
    public enum Basis: String, Sendable, CaseIterable {
        case consent
        case contract
        case legalObligation = "legal_obligation"
        case vitalInterests = "vital_interests"
        case publicTask = "public_task"
        case legitimateInterests = "legitimate_interests"
    }

    /// The purpose a consent must name for its photos to be trained on.
    public static let trainingPurpose = "model_training"

    public var basis: Basis?
    public var explicit: Bool = false
    public var purposes: [String] = []
    public var givenAt: Date?
    public var withdrawnAt: Date?
    /// The id of the consent record at the source: kept in the sealed facts, so that the consent
    /// can be demonstrated (Art. 7(1)).
    public var consentRef: String?
    /// The version of the notice or consent text the subject saw.
    public var noticeVersion: String?
    /// When the Art. 14 notice of training under legitimate interests reached the subject.
    public var noticeGivenAt: Date?
    /// The reference of a legitimate-interests assessment.
    public var assessmentRef: String?

    public init() {}

    /// Withdrawn at `now`: a withdrawal not in the future, and no later consent. Of a consent
    /// and a withdrawal, the later stands; on a tie the withdrawal does.
    public func isWithdrawn(at now: Date) -> Bool {
        guard basis == .consent, let withdrawnAt, withdrawnAt <= now else { return false }
        guard let givenAt, givenAt <= now else { return true }
        return withdrawnAt >= givenAt
    }

    public var coversTraining: Bool { purposes.contains(Self.trainingPurpose) }

    /// Consent that can be demonstrated (Art. 7(1)): dated, and dated no later than `now`.
    public func isDemonstrable(at now: Date) -> Bool {
        givenAt.map { $0 <= now } ?? false
    }

    /// Valid consent as the contract defines it: consent, covering training, dated and not in
    /// the future, not withdrawn.
    public func isValidConsent(at now: Date) -> Bool {
        basis == .consent && coversTraining && isDemonstrable(at: now) && !isWithdrawn(at: now)
    }

    /// Valid consent given explicitly (Art. 9(2)(a)).
    public func isExplicitConsent(at now: Date) -> Bool {
        explicit && isValidConsent(at: now)
    }
}
