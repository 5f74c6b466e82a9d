import Foundation

/// Everything a rule reads, computed once per evaluation.
struct RuleContext {
    let policy: Policy
    let facts: AdmissionFacts
    let environment: EvaluationEnvironment
    let day: CalendarDay
    /// Signals that fall in a restricted jurisdiction on `day`.
    let restrictedSignals: [CountrySignal]
    /// The restricted jurisdictions hit, in the policy's order.
    let jurisdictions: [String]

    init(policy: Policy, facts: AdmissionFacts, environment: EvaluationEnvironment) {
        self.policy = policy
        self.facts = facts
        self.environment = environment
        day = CalendarDay(containing: environment.now)
        let today = day
        var hit: [String] = []
        restrictedSignals = facts.signals.filter { signal in
            let names = policy.restrictedJurisdictions(of: signal.country, on: today)
            hit += names
            return !names.isEmpty
        }
        jurisdictions = policy.options.restrictedJurisdictions.filter(hit.contains)
    }

    var now: Date { environment.now }
    var isRestricted: Bool { !restrictedSignals.isEmpty }
}
