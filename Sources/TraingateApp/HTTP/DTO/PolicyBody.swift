import PolicyEngine

/// The response of `GET /v1/policy`: the active policy and what each rule checks.
struct PolicyBody: Encodable {
    struct RuleBody: Encodable {
        let id: String
        let reasonCodes: [String]
        /// The provisions behind the rule's reason codes, `; `-separated.
        let article: String
        let description: String

        enum CodingKeys: String, CodingKey {
            case id, article, description
            case reasonCodes = "reason_codes"
        }
    }

    struct JurisdictionBody: Encodable {
        let name: String
        let countries: [String]
    }

    let id: String
    let version: String
    let description: String
    let options: PolicyOptions
    let restrictedJurisdictions: [String]
    let rules: [RuleBody]
    /// Members in effect on the day of the request.
    let jurisdictions: [String: JurisdictionBody]

    init(_ policy: Policy, on day: CalendarDay) {
        id = policy.id
        version = policy.version
        description = policy.description
        options = policy.options
        restrictedJurisdictions = policy.options.restrictedJurisdictions
        rules = policy.rules.map { rule in
            RuleBody(
                id: rule.rawValue, reasonCodes: rule.reasonCodes.map(\.rawValue),
                article: rule.reasonCodes.map(\.article).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    .joined(separator: "; "),
                description: rule.summary)
        }
        jurisdictions = policy.jurisdictions.mapValues {
            JurisdictionBody(name: $0.name, countries: $0.countries(on: day).map(\.rawValue).sorted())
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, version, description, options, rules, jurisdictions
        case restrictedJurisdictions = "restricted_jurisdictions"
    }
}
