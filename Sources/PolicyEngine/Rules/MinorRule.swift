/// Children's photos are not admitted: below the policy minimum anywhere, or below the Art. 8 age
/// in force at the time in a restricted country the subject is signalled in, when that is higher.
enum MinorRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        guard let age = context.facts.subjectAge else { return [] }
        let minimum = context.policy.options.minimumAge
        let art8 = context.restrictedSignals.compactMap { signal in
            context.policy.consentAge(of: signal.country, at: context.now).map { (signal.country, $0) }
        }.max { $0.1 < $1.1 }
        if let (country, art8Age) = art8, art8Age > minimum, age < art8Age {
            return [
                context.reason(
                    .minor, .minor, "Subject age \(age) is below the Art. 8 age of digital consent in \(country) (\(art8Age)).")
            ]
        }
        guard age < minimum else { return [] }
        return [context.reason(.minor, .minor, "Subject age \(age) is below the policy minimum of \(minimum).")]
    }
}
