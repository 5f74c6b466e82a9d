/// A subject with any signal in a restricted jurisdiction needs a lawful basis that covers training;
/// with no signal at all the gate cannot tell, and errs on the side of caution.
enum ResidencyRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        if context.facts.signals.isEmpty {
            guard context.policy.options.requireResidencySignal else { return [] }
            return [
                Reason(
                    code: .residencyUnknown, rule: .residency,
                    message: "No country signal: give subject.account_country, signals.upload_ip_country, "
                        + "signals.declared_location_country or signals.gps.")
            ]
        }
        guard context.isRestricted else { return [] }
        let basisFailures = basisFailures(context)
        guard !basisFailures.isEmpty else { return [] }
        let evidence = context.restrictedSignals.map { "\($0.country) from \($0.source.rawValue)" }
        let restricted = Reason(
            code: .residencyRestricted, rule: .residency,
            message: "Signals place the subject in \(context.jurisdictions.joined(separator: ", ")) "
                + "(\(evidence.joined(separator: ", "))); a valid consent covering model_training is required.")
        return [restricted] + basisFailures
    }

    /// Why the claimed basis does not make a restricted subject's photo usable; empty when it does.
    private static func basisFailures(_ context: RuleContext) -> [Reason] {
        guard let claim = context.facts.lawfulBasis, let basis = claim.basis else {
            return [
                Reason(
                    code: .lawfulBasisMissing, rule: .residency,
                    message: "No lawful_basis was given; obtain the subject's consent with purpose model_training.")
            ]
        }
        switch basis {
        case .consent:
            if claim.isValidConsent(at: context.now) { return [] }
            let consentFailures = ConsentRule.failures(claim, context: context, rule: .residency)
            if !consentFailures.isEmpty { return consentFailures }
            return [
                Reason(
                    code: .lawfulBasisInsufficient, rule: .residency,
                    message: "The consent is dated in the future (lawful_basis.given_at); it cannot be relied on yet.")
            ]
        case .legitimateInterests where context.policy.options.allowLegitimateInterests:
            if let reference = claim.assessmentRef, !reference.isEmpty { return [] }
            return [
                Reason(
                    code: .lawfulBasisInsufficient, rule: .residency,
                    message: "Legitimate interests need a documented assessment: give lawful_basis.assessment_ref.")
            ]
        default:
            let accepted = context.policy.options.allowLegitimateInterests
                ? "consent or legitimate interests with an assessment" : "consent"
            return [
                Reason(
                    code: .lawfulBasisInsufficient, rule: .residency,
                    message: "Basis '\(basis.rawValue)' does not cover model training for subjects in restricted "
                        + "jurisdictions; this policy accepts \(accepted).")
            ]
        }
    }
}
