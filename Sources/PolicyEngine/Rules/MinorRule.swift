/// Children's photos are not admitted: below the policy minimum anywhere, or below the Art. 8 age
/// in force at the time in a governing country the subject is signalled in, when that is higher.
enum MinorRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        guard let age = context.facts.subjectAge else { return [] }
        let minimum = context.policy.options.minimumAge
        let art8 = context.governedSignals.compactMap { signal in
            context.policy.consentAge(of: signal.country, at: context.now).map { (signal.country, $0) }
        }.max { $0.1 < $1.1 }
        if let (country, art8Age) = art8, art8Age > minimum, age < art8Age {
            // Cited under the regime of the country whose age applied, not every regime in play.
            let regimes = context.policy.governingRegimes(of: country, at: context.now)
            return [
                Reason(
                    code: .minor, rule: .minor, article: context.article(.minor, subjectRegimes: regimes),
                    message: "Subject age \(age) is below the Art. 8 age of digital consent in \(country) (\(art8Age)).")
            ]
        }
        guard age < minimum else { return [] }
        // The policy's own minimum, not any law's: cited as the policy.
        return [
            Reason(
                code: .minor, rule: .minor, article: context.article(.minor, subjectRegimes: []),
                message: "Subject age \(age) is below the policy minimum of \(minimum).")
        ]
    }
}
