import Foundation

/// Everything a rule reads, computed once per evaluation.
struct RuleContext {
    let policy: Policy
    let facts: AdmissionFacts
    let environment: EvaluationEnvironment
    /// Signals that fall in a governing regime at `now`.
    let governedSignals: [CountrySignal]
    /// Governing regimes the subject is located in, as indices into `policy.reportingOrder`, ascending.
    let subjectRegimes: [Int]
    /// Regimes whose law applies because of where the operator is established and not already
    /// because of where the subject is.
    let establishmentOnlyRegimes: [Int]
    /// Labels of every regime that governs the case, in reporting order.
    let jurisdictions: [String]

    init(policy: Policy, facts: AdmissionFacts, environment: EvaluationEnvironment) {
        self.policy = policy
        self.facts = facts
        self.environment = environment
        // Most decisions have one to four signals and no governing regime: no set, no sort,
        // no array beyond the empty ones for them.
        var hit: [Int] = []
        var governed: [CountrySignal] = []
        var regimes: [Int] = []
        for signal in facts.signals {
            policy.appendGoverningRegimes(of: signal.country, at: environment.now, to: &regimes)
            guard !regimes.isEmpty else { continue }
            governed.append(signal)
            for regime in regimes where !hit.contains(regime) { hit.append(regime) }
            regimes.removeAll(keepingCapacity: true)
        }
        hit.sort()
        governedSignals = governed
        subjectRegimes = hit
        let establishment = policy.establishmentRegimes.filter { !hit.contains($0) }
        establishmentOnlyRegimes = establishment
        jurisdictions =
            establishment.isEmpty
            ? hit.map { policy.reportingOrder[$0] } : (hit + establishment).sorted().map { policy.reportingOrder[$0] }
    }

    var now: Date { environment.now }
    /// The subject is located in a governing regime.
    var subjectIsGoverned: Bool { !subjectRegimes.isEmpty }
    /// Some regime's law governs the case, so the photo needs a lawful basis.
    var needsBasis: Bool { !subjectRegimes.isEmpty || !establishmentOnlyRegimes.isEmpty }

    /// What a reason with `code` cites: each governing regime's own provision (with the
    /// establishment provision for a regime that governs only through the operator), or the
    /// policy's citation when no regime's law grounds the code.
    /// `RESIDENCY_RESTRICTED` says where the subject is, so only the subject's regimes cite it.
    func article(_ code: ReasonCode) -> String {
        article(code, subjectRegimes: subjectRegimes, establishmentRegimes: code == .residencyRestricted ? [] : establishmentOnlyRegimes)
    }

    /// The same, for the given regimes only (`MINOR` cites the regime whose Art. 8 age applied).
    func article(_ code: ReasonCode, subjectRegimes: [Int], establishmentRegimes: [Int] = []) -> String {
        var parts: [String] = []
        func add(_ citation: String) {
            if !parts.contains(citation) { parts.append(citation) }
        }
        for index in subjectRegimes {
            if let citation = policy.regime(index).citations[code] { add(citation) }
        }
        for index in establishmentRegimes {
            let citations = policy.regime(index).citations
            guard let citation = citations[code] else { continue }
            if let establishment = citations.establishment { add(establishment) }
            add(citation)
        }
        if parts.isEmpty, let own = policy.citations[code] { add(own) }
        return parts.joined(separator: "; ")
    }

    /// A reason of `rule` with `code`, citing what governs the case.
    func reason(_ code: ReasonCode, _ rule: RuleID, _ message: String) -> Reason {
        Reason(code: code, rule: rule, article: article(code), message: message)
    }
}
