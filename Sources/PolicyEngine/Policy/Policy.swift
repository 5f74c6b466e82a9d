import Crypto
import Foundation
import StrictDocuments

/// An admission policy: options, the rules in evaluation order, and the reference data they use.
///
/// The `version` is `sha256:` of the canonical JSON of everything else (sorted keys, no
/// whitespace), so reformatting or commenting a policy file does not change it while any
/// change of meaning does.
public struct Policy: Sendable, Encodable {
    public let id: String
    public let description: String
    public let options: PolicyOptions
    public let rules: [RuleID]
    public let jurisdictions: [String: Jurisdiction]
    public let consentAges: [ConsentAgeRow]
    /// `sha256:` of `canonicalJSON`.
    public private(set) var version: String
    /// For each country, the restricted jurisdictions it belongs to and when, in the options' order:
    /// evaluation looks countries up here instead of rebuilding sets for every decision.
    private var restrictedMembership: [CountryCode: [(jurisdiction: String, period: EffectivePeriod)]] = [:]

    public init(
        id: String, description: String, options: PolicyOptions, rules: [RuleID],
        jurisdictions: [String: Jurisdiction], consentAges: [ConsentAgeRow]
    ) {
        self.id = id
        self.description = description
        self.options = options
        self.rules = rules
        self.jurisdictions = jurisdictions
        self.consentAges = consentAges
        self.version = ""
        self.version = Self.computeVersion(of: self)
        for name in options.restrictedJurisdictions {
            for row in jurisdictions[name]?.members ?? [] {
                restrictedMembership[row.country, default: []].append((name, row.period))
            }
        }
    }

    /// The same policy with other options (and therefore another version).
    public func with(options: PolicyOptions) -> Policy {
        Policy(
            id: id, description: description, options: options, rules: rules, jurisdictions: jurisdictions,
            consentAges: consentAges)
    }

    /// The restricted jurisdictions `country` belongs to on `day`, in the order of `options`.
    public func restrictedJurisdictions(of country: CountryCode, on day: CalendarDay) -> [String] {
        guard let rows = restrictedMembership[country] else { return [] }
        return rows.filter { $0.period.contains(day) }.map(\.jurisdiction).reduce(into: []) {
            if !$0.contains($1) { $0.append($1) }
        }
    }

    /// The Art. 8 age of digital consent of `country` on `day`, if the reference data has one.
    public func consentAge(of country: CountryCode, on day: CalendarDay) -> Int? {
        consentAges.last { $0.country == country && $0.period.contains(day) }?.age
    }

    /// The canonical bytes the version hashes.
    public var canonicalJSON: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(self)  // only strings, integers, booleans and finite doubles: cannot fail
    }

    private static func computeVersion(of policy: Policy) -> String {
        "sha256:" + Hex.encode(SHA256.hash(data: policy.canonicalJSON))
    }

    enum CodingKeys: String, CodingKey {
        case id, description, options, rules, jurisdictions
        case consentAges = "art8_ages"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(description, forKey: .description)
        try container.encode(options, forKey: .options)
        try container.encode(rules, forKey: .rules)
        try container.encode(jurisdictions, forKey: .jurisdictions)
        try container.encode(consentAges, forKey: .consentAges)
    }
}
