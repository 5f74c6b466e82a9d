import Crypto
import Foundation
import StrictDocuments

/// An admission policy: who runs the gate, options, the rules in evaluation order, and the
/// reference data they use (regimes, Art. 8 ages, citations).
///
/// The `version` is `sha256:` of the canonical JSON of everything else (sorted keys, no
/// whitespace), so reformatting or commenting a policy file does not change it while any
/// change of meaning does.
public struct Policy: Sendable, Encodable {
    public let id: String
    public let description: String
    public let controller: ControllerSettings
    public let options: PolicyOptions
    public let rules: [RuleID]
    public let jurisdictions: [String: Jurisdiction]
    /// The regimes' labels in the order the policy defines them.
    public let regimeOrder: [String]
    /// What reasons cite for a subject under no regime, and the policy-wide TDM reservation.
    public let citations: Citations
    public let consentAges: [ConsentAgeRow]
    /// `sha256:` of `canonicalJSON`.
    public private(set) var version: String
    /// Every regime, in the order decisions list them: the restricted ones in the order of
    /// `options.restrictedJurisdictions`, then the review tier (when treated as restricted),
    /// then the rest in policy order. Decisions refer to regimes by index into this.
    public private(set) var reportingOrder: [String] = []
    /// How many of `reportingOrder` need a basis for a subject located in them.
    public private(set) var governingCount = 0
    /// For each country, the governing regimes it belongs to and when: evaluation looks
    /// countries up here instead of rebuilding sets for every decision.
    private var membership: [CountryCode: [(regime: Int, period: EffectivePeriod)]] = [:]
    /// `jurisdictions` by index into `reportingOrder`: citations look regimes up by index.
    private var regimesInReportingOrder: [Jurisdiction] = []
    /// `controller.establishedIn` as indices into `reportingOrder`.
    public private(set) var establishmentRegimes: [Int] = []

    public init(
        id: String, description: String, controller: ControllerSettings = ControllerSettings(), options: PolicyOptions,
        rules: [RuleID], jurisdictions: [String: Jurisdiction], regimeOrder: [String]? = nil, citations: Citations,
        consentAges: [ConsentAgeRow]
    ) {
        self.id = id
        self.description = description
        self.controller = controller
        self.options = options
        self.rules = rules
        self.jurisdictions = jurisdictions
        self.regimeOrder = regimeOrder ?? jurisdictions.keys.sorted()
        self.citations = citations
        self.consentAges = consentAges
        self.version = ""
        self.version = Self.computeVersion(of: self)
        let review = options.reviewRegimes == .restricted ? self.regimeOrder.filter { jurisdictions[$0]?.tier == .review } : []
        // Only labels the policy defines (the loader checks this; the initialiser is public).
        let governing = (options.restrictedJurisdictions + review.filter { !options.restrictedJurisdictions.contains($0) })
            .filter { jurisdictions[$0] != nil }
        governingCount = governing.count
        reportingOrder = governing + self.regimeOrder.filter { !governing.contains($0) && jurisdictions[$0] != nil }
        for (index, label) in governing.enumerated() {
            for row in jurisdictions[label]?.members ?? [] {
                membership[row.country, default: []].append((index, row.period))
            }
        }
        establishmentRegimes = controller.establishedIn.compactMap { reportingOrder.firstIndex(of: $0) }
        regimesInReportingOrder = reportingOrder.map { jurisdictions[$0]! }  // only defined labels, filtered above
        tdmReservationCitation = citations.articles[Citations.tdmReservationKey] ?? "DSM Directive (EU) 2019/790 Art. 4(3)"
    }

    /// What a rights holder's text-and-data-mining reservation cites, for every subject.
    public private(set) var tdmReservationCitation = ""

    /// The same policy with other options (and therefore another version).
    public func with(options: PolicyOptions) -> Policy {
        Policy(
            id: id, description: description, controller: controller, options: options, rules: rules,
            jurisdictions: jurisdictions, regimeOrder: regimeOrder, citations: citations, consentAges: consentAges)
    }

    /// The same policy run by another operator (and therefore another version).
    public func with(controller: ControllerSettings) -> Policy {
        Policy(
            id: id, description: description, controller: controller, options: options, rules: rules,
            jurisdictions: jurisdictions, regimeOrder: regimeOrder, citations: citations, consentAges: consentAges)
    }

    /// Indices into `reportingOrder` of the governing regimes `country` belongs to at `date`.
    public func governingRegimes(of country: CountryCode, at date: Date) -> [Int] {
        var regimes: [Int] = []
        appendGoverningRegimes(of: country, at: date, to: &regimes)
        return regimes
    }

    /// The same, appended to `regimes` without a new array per call: evaluation calls this for
    /// every country signal of every decision.
    public func appendGoverningRegimes(of country: CountryCode, at date: Date, to regimes: inout [Int]) {
        guard let rows = membership[country] else { return }
        for row in rows where row.period.contains(date) { regimes.append(row.regime) }
    }

    /// The regime at `index` of `reportingOrder`.
    public func regime(_ index: Int) -> Jurisdiction { regimesInReportingOrder[index] }

    /// The Art. 8 age of digital consent of `country` at `date`, if the reference data has one.
    public func consentAge(of country: CountryCode, at date: Date) -> Int? {
        consentAges.last { $0.country == country && $0.period.contains(date) }?.age
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
        case id, description, controller, options, rules, jurisdictions, citations
        case regimeOrder = "regime_order"
        case consentAges = "art8_ages"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(description, forKey: .description)
        try container.encode(controller, forKey: .controller)
        try container.encode(options, forKey: .options)
        try container.encode(rules, forKey: .rules)
        try container.encode(jurisdictions, forKey: .jurisdictions)
        try container.encode(regimeOrder, forKey: .regimeOrder)
        try container.encode(citations, forKey: .citations)
        try container.encode(consentAges, forKey: .consentAges)
    }
}
