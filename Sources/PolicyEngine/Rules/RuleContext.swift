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
        let restricted = policy.restrictedCountries(on: day)
        let signals = facts.signals.filter { restricted.contains($0.country) }
        let today = day
        let hit = Set(signals.flatMap { policy.restrictedJurisdictions(of: $0.country, on: today) })
        restrictedSignals = signals
        jurisdictions = policy.options.restrictedJurisdictions.filter(hit.contains)
    }

    var now: Date { environment.now }
    var isRestricted: Bool { !restrictedSignals.isEmpty }
}
