import PolicyEngine
import Prometheus

/// `traingate_decisions_total{outcome}` and `traingate_decision_reasons_total{outcome,reason}`:
/// what the gate decided, and why. Every series exists from the start (at 0), so a rate over a
/// reason that has not happened yet is 0, not absent.
struct DecisionMetrics: Sendable {
    private let decisions: [Verdict: Counter]
    private let reasons: [Verdict: [ReasonCode: Counter]]

    init(_ families: MetricFamilies) {
        let outcomes: [Verdict] = [.admitted, .rejected]
        decisions = families.counters("decisions", help: "Decisions recorded, by outcome.", by: "outcome", outcomes)
        reasons = Dictionary(
            uniqueKeysWithValues: outcomes.map { outcome in
                let byCode = families.counters(
                    "decision_reasons", help: "Reasons given by recorded decisions (a decision may give several).", by: "reason",
                    ReasonCode.allCases, fixed: [("outcome", outcome.rawValue)])
                return (outcome, byCode)
            })
    }

    /// Counts one recorded decision (never a dry run, never a replay of an earlier one).
    func record(_ verdict: Verdict, reasons given: [Reason]) {
        decisions[verdict]?.increment()
        for reason in given { reasons[verdict]?[reason.code]?.increment() }
    }
}
