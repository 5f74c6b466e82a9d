/// The policy engine: a pure function of policy, facts and environment (including `now`).
public enum Evaluator {
    /// Decides one admission: every failed rule in policy order, each reason code at most once.
    public static func evaluate(_ policy: Policy, facts: AdmissionFacts, environment: EvaluationEnvironment) -> Decision {
        let context = RuleContext(policy: policy, facts: facts, environment: environment)
        var seen = Set<ReasonCode>()
        let reasons = policy.rules.flatMap { rule(for: $0)(context) }.filter { seen.insert($0.code).inserted }
        return Decision(
            verdict: reasons.isEmpty ? .admitted : .rejected,
            reasons: reasons,
            jurisdictions: context.jurisdictions,
            policyID: policy.id,
            policyVersion: policy.version)
    }

    private static func rule(for id: RuleID) -> (RuleContext) -> [Reason] {
        switch id {
        case .visibility: VisibilityRule.evaluate
        case .optOut: OptOutRule.evaluate
        case .residency: ResidencyRule.evaluate
        case .consent: ConsentRule.evaluate
        case .minor: MinorRule.evaluate
        case .specialCategory: SpecialCategoryRule.evaluate
        case .erasedContent: ErasedContentRule.evaluate
        }
    }
}
