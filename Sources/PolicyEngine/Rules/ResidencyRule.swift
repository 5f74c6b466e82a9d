/// A case some regime governs (the subject has a signal in a restricted regime, or the operator
/// is established in one) needs a lawful basis that covers training; with no signal at all the
/// gate cannot tell where the subject is, and errs on the side of caution.
enum ResidencyRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        var reasons: [Reason] = []
        if context.facts.signals.isEmpty, context.policy.options.requireResidencySignal {
            reasons.append(
                context.reason(
                    .residencyUnknown, .residency,
                    "No country signal: give subject.account_country, signals.upload_ip_country, "
                        + "signals.declared_location_country or signals.gps."))
        }
        guard context.needsBasis else { return reasons }
        let failures = LawfulBasisCheck.failures(context)
        guard !failures.isEmpty else { return reasons }
        if context.subjectIsGoverned {
            let evidence = context.governedSignals.map { "\($0.country) from \($0.source.rawValue)" }
            let located = context.subjectRegimes.map { context.policy.reportingOrder[$0] }
            reasons.append(
                context.reason(
                    .residencyRestricted, .residency,
                    "Signals place the subject in \(located.joined(separator: ", ")) (\(evidence.joined(separator: ", "))); "
                        + "this policy then needs \(LawfulBasisCheck.accepted(context))."))
        }
        return reasons + failures
    }
}
