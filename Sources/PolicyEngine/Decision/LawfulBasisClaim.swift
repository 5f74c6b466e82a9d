import Foundation

/// The GDPR Art. 6(1) basis a source claims for using the photo, with the consent lifecycle.
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
    public var assessmentRef: String?

    public init() {}

    public func isWithdrawn(at now: Date) -> Bool {
        basis == .consent && withdrawnAt.map { $0 <= now } ?? false
    }

    public var coversTraining: Bool { purposes.contains(Self.trainingPurpose) }

    /// Valid consent as the contract defines it: consent, covering training, not withdrawn, not dated in the future.
    public func isValidConsent(at now: Date) -> Bool {
        basis == .consent && coversTraining && !isWithdrawn(at: now) && givenAt.map { $0 <= now } ?? true
    }

    /// Valid consent given explicitly (Art. 9(2)(a)).
    public func isExplicitConsent(at now: Date) -> Bool {
        explicit && isValidConsent(at: now)
    }
}
