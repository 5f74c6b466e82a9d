import Foundation
import StrictDocuments

/// Whether the claimed basis makes a governed case's photo usable, and if not, why, in terms of
/// what this policy's options accept.
enum LawfulBasisCheck {
    /// Legitimate interests cover adults only (EDPB Opinion 28/2024; Meta's 2025 process
    /// excluded minors' accounts). Majority, not `minimum_age`: an operator that lowers its
    /// minimum age to admit teenagers with consent does not thereby extend legitimate interests
    /// to them.
    static let adultAge = 18

    /// Why the claimed basis does not make the photo usable; empty when it does.
    static func failures(_ context: RuleContext) -> [Reason] {
        guard let claim = context.facts.lawfulBasis, let basis = claim.basis else {
            return [
                context.reason(.lawfulBasisMissing, .residency, "\(why(context))No lawful_basis was given; this policy needs \(accepted(context)).")
            ]
        }
        switch basis {
        case .consent:
            if claim.isValidConsent(at: context.now) { return [] }
            let consentFailures = ConsentRule.failures(claim, context: context, rule: .residency)
            if !consentFailures.isEmpty { return consentFailures }
            let problem =
                claim.givenAt == nil
                ? "The consent has no lawful_basis.given_at, so it cannot be demonstrated (Art. 7(1)); give when the subject consented."
                : "The consent is dated in the future (lawful_basis.given_at); it cannot be relied on yet."
            return [context.reason(.lawfulBasisInsufficient, .residency, why(context) + problem)]
        case .legitimateInterests where context.policy.options.allowLegitimateInterests:
            let unmet = unmetConditions(claim, context: context)
            guard !unmet.isEmpty else { return [] }
            return [
                context.reason(
                    .legitimateInterestsConditions, .residency,
                    "\(why(context))Legitimate interests do not cover this photo: \(unmet.joined(separator: "; ")).")
            ]
        case .legitimateInterests:
            return [
                context.reason(
                    .lawfulBasisInsufficient, .residency,
                    "\(why(context))This policy does not accept legitimate interests (allow_legitimate_interests is off); "
                        + "it needs \(accepted(context)).")
            ]
        default:
            return [
                context.reason(
                    .lawfulBasisInsufficient, .residency,
                    "\(why(context))Basis '\(basis.rawValue)' does not cover model training; this policy accepts \(accepted(context)).")
            ]
        }
    }

    /// What would make the photo admissible under the options in force.
    static func accepted(_ context: RuleContext) -> String {
        let consent = "demonstrable consent covering model_training (basis consent, purposes with model_training, given_at)"
        guard context.policy.options.allowLegitimateInterests else { return consent }
        return consent + ", or legitimate interests with an assessment (assessment_ref), an Art. 14 notice "
            + "(notice_given_at) at least \(context.policy.options.objectionWindowDays) days earlier, no objection, "
            + "and a subject known to be an adult (subject.age)"
    }

    /// For a case governed only because of where the operator is established, the reason says so.
    private static func why(_ context: RuleContext) -> String {
        guard !context.subjectIsGoverned, !context.establishmentOnlyRegimes.isEmpty else { return "" }
        let regimes = context.establishmentOnlyRegimes.map { context.policy.reportingOrder[$0] }
        return "The operator is established in \(regimes.joined(separator: ", ")) (controller.established_in), whose law "
            + "covers all its processing wherever the subject lives. "
    }

    /// The conditions of EDPB Opinion 28/2024 that the request does not meet, each naming its field.
    private static func unmetConditions(_ claim: LawfulBasisClaim, context: RuleContext) -> [String] {
        var unmet: [String] = []
        if claim.assessmentRef?.isEmpty ?? true {
            unmet.append("no legitimate-interests assessment (lawful_basis.assessment_ref)")
        }
        let window = context.policy.options.objectionWindowDays
        if let notice = claim.noticeGivenAt {
            let opens = notice.addingTimeInterval(TimeInterval(window) * 86_400)
            // The parser refuses a notice after the request's own time; this is reached when an
            // auditor evaluates at an earlier instant (`?at=`), before the notice was given.
            if notice > context.now {
                unmet.append("the Art. 14 notice (lawful_basis.notice_given_at) is dated after the decision")
            } else if opens > context.now {
                unmet.append(
                    "the \(window)-day objection window after the Art. 14 notice of \(Timestamp.format(notice)) "
                        + "runs until \(Timestamp.format(opens))")
            }
        } else {
            unmet.append("no Art. 14 notice to the subject (lawful_basis.notice_given_at)")
        }
        if context.environment.objectionRegistered { unmet.append("the subject objected (Art. 21)") }
        switch context.facts.subjectAge {
        case nil: unmet.append("the subject's age is unknown (subject.age); legitimate interests cover known adults only")
        case let age? where age < adultAge: unmet.append("the subject is \(age), not an adult")
        default: break
        }
        return unmet
    }
}
