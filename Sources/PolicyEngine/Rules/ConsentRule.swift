import Foundation
import StrictDocuments

/// A consent that was withdrawn or does not name training is never used, wherever the subject is.
enum ConsentRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        guard let claim = context.facts.lawfulBasis else { return [] }
        return failures(claim, context: context, rule: .consent)
    }

    static func failures(_ claim: LawfulBasisClaim, context: RuleContext, rule: RuleID) -> [Reason] {
        guard claim.basis == .consent else { return [] }
        var reasons: [Reason] = []
        if claim.isWithdrawn(at: context.now), let withdrawnAt = claim.withdrawnAt {
            // Name the consent it overrides only when there is one before it (a later given_at
            // still in the future is a re-consent that has not happened yet).
            let after = claim.givenAt.flatMap { $0 <= withdrawnAt ? " (after the consent of \(Timestamp.format($0)))" : nil } ?? ""
            reasons.append(
                context.reason(
                    .consentWithdrawn, rule,
                    "Consent was withdrawn at \(Timestamp.format(withdrawnAt))\(after); it can no longer be relied on "
                        + "unless the subject consents again (a given_at later than the withdrawal)."))
        }
        if !claim.coversTraining {
            let listed = claim.purposes.isEmpty ? "none" : claim.purposes.joined(separator: ", ")
            reasons.append(
                context.reason(.consentPurposeMismatch, rule, "The consent's purposes (\(listed)) do not include model_training."))
        }
        return reasons
    }
}
