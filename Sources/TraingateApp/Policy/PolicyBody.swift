import Foundation
import PolicyEngine

/// The response of `GET /v1/policy`: the active policy, who runs it, and what each rule checks.
struct PolicyBody: Encodable {
    struct RuleBody: Encodable {
        let id: String
        let reasonCodes: [String]
        /// The policy's own citations of the rule's reason codes (those used for a case no
        /// regime governs), `; `-separated; each regime's are under `jurisdictions`.
        let article: String
        let description: String

        enum CodingKeys: String, CodingKey {
            case id, article, description
            case reasonCodes = "reason_codes"
        }
    }

    struct JurisdictionBody: Encodable {
        let name: String
        let law: String
        let source: String
        let tier: RegimeTier
        let timeZone: String
        /// Members in effect at the time of the request.
        let countries: [String]
        let citations: Citations

        enum CodingKeys: String, CodingKey {
            case name, law, source, tier, countries, citations
            case timeZone = "time_zone"
        }
    }

    let id: String
    let version: String
    let description: String
    let controller: ControllerSettings
    let options: PolicyOptions
    let restrictedJurisdictions: [String]
    /// Every regime whose subjects need a basis now: the restricted ones, then the review tier
    /// when `review_regimes` is `restricted`.
    let governingJurisdictions: [String]
    let rules: [RuleBody]
    let jurisdictions: [String: JurisdictionBody]

    init(_ policy: Policy, at now: Date) {
        id = policy.id
        version = policy.version
        description = policy.description
        controller = policy.controller
        options = policy.options
        restrictedJurisdictions = policy.options.restrictedJurisdictions
        governingJurisdictions = Array(policy.reportingOrder.prefix(policy.governingCount))
        rules = policy.rules.map { rule in
            RuleBody(
                id: rule.rawValue, reasonCodes: rule.reasonCodes.map(\.rawValue),
                article: rule.reasonCodes.compactMap { policy.citations[$0] }.reduce(into: [String]()) {
                    if !$0.contains($1) { $0.append($1) }
                }.joined(separator: "; "),
                description: rule.summary)
        }
        jurisdictions = policy.jurisdictions.mapValues {
            JurisdictionBody(
                name: $0.name, law: $0.law, source: $0.source, tier: $0.tier, timeZone: $0.timeZone,
                countries: $0.countries(at: now).map(\.rawValue).sorted(), citations: $0.citations)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, version, description, controller, options, rules, jurisdictions
        case restrictedJurisdictions = "restricted_jurisdictions"
        case governingJurisdictions = "governing_jurisdictions"
    }
}
