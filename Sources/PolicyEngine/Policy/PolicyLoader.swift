import Foundation
import StrictDocuments

/// Reads a policy from YAML, rejecting unknown keys and bad values with the line and key.
public enum PolicyLoader {
    /// Every regime cites these: the provision that brings an operator established there into its
    /// scope, and one for each reason code its law grounds (all but `RESIDENCY_UNKNOWN`, which no
    /// regime can know).
    static let regimeCitationKeys = Set([Citations.establishmentKey])
        .union(ReasonCode.allCases.filter { $0 != .residencyUnknown }.map(\.rawValue))
    /// The policy-wide citations, for subjects under no regime: every code, and the TDM reservation.
    static let defaultCitationKeys: Set<String> = Set(ReasonCode.allCases.map(\.rawValue)).union([Citations.tdmReservationKey])

    /// - Throws: `DocumentError` naming the line and key of the first problem.
    public static func load(yaml text: String) throws -> Policy {
        let root = try YAMLValue.parse(text, documentName: "policy")
        let top = try root.mapping(
            allowed: ["id", "description", "controller", "options", "rules", "citation_sets", "citations", "jurisdictions", "art8_ages"],
            required: ["id", "rules", "citations", "jurisdictions"])
        let id = try top["id"]!.string()
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw top["id"]!.error("must be 1..64 letters, digits, '-' or '_'")
        }
        let sets = try top["citation_sets"].map(readCitationSets) ?? [:]
        let (jurisdictions, order) = try readJurisdictions(top["jurisdictions"]!, citationSets: sets)
        // Absent, every restricted-tier regime; an explicit empty list means none.
        var base = PolicyOptions()
        base.restrictedJurisdictions = order.filter { jurisdictions[$0]!.tier == .restricted }
        let options = try top["options"].map { try readOptions($0, known: jurisdictions, base: base) } ?? base
        let controller = try top["controller"].map { try readController($0, known: jurisdictions) } ?? ControllerSettings()
        return Policy(
            id: id,
            description: try top["description"]?.string() ?? "",
            controller: controller,
            options: options,
            rules: try readRules(top["rules"]!),
            jurisdictions: jurisdictions,
            regimeOrder: order,
            citations: try readCitations(top["citations"]!, required: defaultCitationKeys, law: nil, sets: [:]),
            consentAges: try top["art8_ages"].map { try readConsentAges($0, zones: zones(of: jurisdictions, in: order)) } ?? [])
    }

    /// The policy with some options replaced by those in `value` (a YAML `options` mapping).
    public static func overriding(_ policy: Policy, with value: YAMLValue) throws -> Policy {
        policy.with(options: try readOptions(value, known: policy.jurisdictions, base: policy.options))
    }

    /// The policy run by the operator `value` describes (a YAML `controller` mapping).
    public static func overriding(_ policy: Policy, controller value: YAMLValue) throws -> Policy {
        policy.with(controller: try readController(value, known: policy.jurisdictions))
    }

    /// The policy run by an operator established in `regimes` (labels of the policy's regimes).
    public static func overriding(_ policy: Policy, establishedIn regimes: [String]) throws -> Policy {
        if let problem = labelProblem(regimes, known: policy.jurisdictions) {
            throw DocumentError(path: "controller.established_in", line: nil, message: problem.message)
        }
        return policy.with(controller: ControllerSettings(establishedIn: regimes))
    }

    private static func readController(_ value: YAMLValue, known: [String: Jurisdiction]) throws -> ControllerSettings {
        let map = try value.mapping(allowed: ["established_in"])
        guard let list = map["established_in"] else { return ControllerSettings() }
        let items = try list.sequence()
        let labels = try items.map { try $0.string() }
        if let problem = labelProblem(labels, known: known) {
            throw problem.index.map { items[$0].error(problem.message) } ?? list.error(problem.message)
        }
        return ControllerSettings(establishedIn: labels)
    }

    /// The first problem of a list of regime labels: one the policy does not define (with its
    /// index), or one listed twice.
    private static func labelProblem(_ labels: [String], known: [String: Jurisdiction]) -> (index: Int?, message: String)? {
        if let index = labels.firstIndex(where: { known[$0] == nil }) {
            let defined = known.keys.sorted().joined(separator: ", ")
            return (index, "names regime '\(labels[index])', which the policy does not define under 'jurisdictions' (defined: \(defined))")
        }
        guard Set(labels).count == labels.count else { return (nil, "lists a regime twice: \(labels.joined(separator: ", "))") }
        return nil
    }

    private static func readOptions(_ value: YAMLValue, known: [String: Jurisdiction], base: PolicyOptions) throws -> PolicyOptions {
        let map = try value.mapping(allowed: [
            "minimum_age", "allow_legitimate_interests", "objection_window_days", "require_residency_signal",
            "restricted_jurisdictions", "review_regimes", "gps_border_distance_km", "trained_model_generative",
        ])
        var options = base
        if let v = map["minimum_age"] { options.minimumAge = try v.int(in: 0...150) }
        if let v = map["allow_legitimate_interests"] { options.allowLegitimateInterests = try v.bool() }
        if let v = map["objection_window_days"] { options.objectionWindowDays = try v.int(in: 0...3650) }
        if let v = map["require_residency_signal"] { options.requireResidencySignal = try v.bool() }
        if let v = map["gps_border_distance_km"] { options.gpsBorderDistanceKm = try v.double(in: 0...500) }
        if let v = map["trained_model_generative"] { options.trainedModelGenerative = try v.bool() }
        if let v = map["review_regimes"] {
            let text = try v.string()
            guard let treatment = ReviewRegimeTreatment(rawValue: text) else {
                throw v.error("must be one of: \(ReviewRegimeTreatment.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.reviewRegimes = treatment
        }
        if let v = map["restricted_jurisdictions"] {
            options.restrictedJurisdictions = try v.sequence().map { try $0.string() }
            if let problem = labelProblem(options.restrictedJurisdictions, known: known) { throw v.error(problem.message) }
            if let review = options.restrictedJurisdictions.first(where: { known[$0]?.tier != .restricted }) {
                throw v.error("lists '\(review)', a review-tier regime: review_regimes decides how those are treated")
            }
        }
        return options
    }

    private static func readRules(_ value: YAMLValue) throws -> [RuleID] {
        var seen = Set<RuleID>()
        return try value.sequence().map { item in
            let name = try item.string()
            guard let rule = RuleID(rawValue: name) else {
                let known = RuleID.allCases.map(\.rawValue).joined(separator: ", ")
                throw item.error("unknown rule '\(name)'; known rules: \(known)")
            }
            guard seen.insert(rule).inserted else { throw item.error("rule '\(name)' is listed twice") }
            return rule
        }
    }

    /// Named sets of article numbers that several laws share (the GDPR's, which the UK GDPR,
    /// the Gibraltar GDPR and others keep): a regime citing a set gets "<its law> <article>".
    private static func readCitationSets(_ value: YAMLValue) throws -> [String: [String: String]] {
        var sets: [String: [String: String]] = [:]
        for (name, body) in try value.entries() {
            var articles: [String: String] = [:]
            for (key, text) in try body.entries() {
                guard regimeCitationKeys.contains(key) else {
                    throw text.error("unknown citation key; known: \(regimeCitationKeys.sorted().joined(separator: ", "))")
                }
                articles[key] = try nonEmpty(text)
            }
            sets[name] = articles
        }
        return sets
    }

    /// `citations` is the name of a set, `law` (cite the law by name for every reason, where its
    /// article numbers are not verified), or a mapping of full citations, optionally `like:` a set
    /// for the keys it does not give. Every key in `required` must end up with a citation.
    private static func readCitations(
        _ value: YAMLValue, required: Set<String>, law: String?, sets: [String: [String: String]]
    ) throws -> Citations {
        func fromSet(_ name: YAMLValue) throws -> [String: String] {
            let text = try name.string()
            guard let set = sets[text], let law else {
                throw name.error("names citation set '\(text)', which 'citation_sets' does not define")
            }
            return set.mapValues { "\(law) \($0)" }
        }
        var articles: [String: String] = [:]
        if value.isScalar, try value.string() == "law", let law {
            articles = Dictionary(uniqueKeysWithValues: required.map { ($0, law) })
        } else if value.isScalar {
            articles = try fromSet(value)
        } else {
            for (key, text) in try value.entries() {
                if key == "like", law != nil {
                    articles.merge(try fromSet(text)) { given, _ in given }
                    continue
                }
                guard required.contains(key) else {
                    throw text.error("unknown citation key; known: \(required.sorted().joined(separator: ", "))")
                }
                articles[key] = try nonEmpty(text)
            }
        }
        let missing = required.subtracting(articles.keys).sorted()
        guard missing.isEmpty else { throw value.error("has no citation for \(missing.joined(separator: ", "))") }
        return Citations(articles)
    }

    private static func readJurisdictions(
        _ value: YAMLValue, citationSets: [String: [String: String]]
    ) throws -> ([String: Jurisdiction], [String]) {
        var result: [String: Jurisdiction] = [:]
        var order: [String] = []
        for (label, body) in try value.entries() {
            let map = try body.mapping(
                allowed: ["name", "law", "source", "tier", "time_zone", "citations", "members"],
                required: ["name", "law", "source", "tier", "time_zone", "citations", "members"])
            let law = try nonEmpty(map["law"]!)
            let tierText = try map["tier"]!.string()
            guard let tier = RegimeTier(rawValue: tierText) else {
                throw map["tier"]!.error("must be one of: \(RegimeTier.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let zone = try timeZone(map["time_zone"]!)
            let members = try map["members"]!.sequence().map { row in
                let fields = try row.mapping(
                    allowed: ["country", "effective_from", "effective_until", "time_zone", "source", "note"],
                    required: ["country", "effective_from", "source"])
                return TerritoryRow(
                    country: try country(fields["country"]!),
                    period: try period(fields, at: row, defaultZone: zone),
                    source: try nonEmpty(fields["source"]!),
                    note: try fields["note"]?.string())
            }
            try checkNoOverlap(members.map { ($0.country, $0.period) }, rows: try map["members"]!.sequence())
            result[label] = Jurisdiction(
                name: try nonEmpty(map["name"]!), law: law, source: try nonEmpty(map["source"]!), tier: tier, timeZone: zone,
                citations: try readCitations(map["citations"]!, required: regimeCitationKeys, law: law, sets: citationSets),
                members: members)
            order.append(label)
        }
        return (result, order)
    }

    /// Each country's time zone, from the first territory row that names it: an Art. 8 row's
    /// day starts at midnight there unless the row says otherwise.
    private static func zones(of jurisdictions: [String: Jurisdiction], in order: [String]) -> [CountryCode: String] {
        var zones: [CountryCode: String] = [:]
        for label in order {
            for row in jurisdictions[label]!.members where zones[row.country] == nil {
                zones[row.country] = row.period.from.timeZone
            }
        }
        return zones
    }

    private static func readConsentAges(_ value: YAMLValue, zones: [CountryCode: String]) throws -> [ConsentAgeRow] {
        let rows = try value.sequence().map { row in
            let fields = try row.mapping(
                allowed: ["country", "age", "effective_from", "effective_until", "time_zone", "source"],
                required: ["country", "age", "effective_from", "source"])
            let code = try country(fields["country"]!)
            guard let zone = try fields["time_zone"].map(timeZone) ?? zones[code] else {
                throw row.error("needs a time_zone: \(code) is in no regime's territories")
            }
            return ConsentAgeRow(
                country: code,
                age: try fields["age"]!.int(in: 0...150),
                period: try period(fields, at: row, defaultZone: zone),
                source: try nonEmpty(fields["source"]!))
        }
        try checkNoOverlap(rows.map { ($0.country, $0.period) }, rows: try value.sequence())
        return rows
    }

    /// Two rows for one country must not both apply at some instant: which one would decide
    /// would depend on their order in the file.
    private static func checkNoOverlap(_ periods: [(CountryCode, EffectivePeriod)], rows: [YAMLValue]) throws {
        for (index, (country, period)) in periods.enumerated() {
            for (other, otherPeriod) in periods[..<index] where other == country {
                let disjoint = period.until.map { $0 <= otherPeriod.from } ?? false || otherPeriod.until.map { $0 <= period.from } ?? false
                if !disjoint { throw rows[index].error("overlaps an earlier row for \(country)") }
            }
        }
    }

    private static func country(_ value: YAMLValue) throws -> CountryCode {
        let text = try value.string()
        guard let code = CountryCode(text) else {
            throw value.error("'\(text)' is not an officially assigned ISO 3166-1 alpha-2 code (upper case)")
        }
        return code
    }

    private static func timeZone(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        guard TimeZone(identifier: text) != nil else { throw value.error("'\(text)' is not an IANA time zone (e.g. Europe/Zurich)") }
        return text
    }

    private static func period(_ fields: [String: YAMLValue], at row: YAMLValue, defaultZone: String) throws -> EffectivePeriod {
        let zone = try fields["time_zone"].map(timeZone) ?? defaultZone
        let from = try instant(fields["effective_from"]!, zone: zone)
        let until = try fields["effective_until"].map { try instant($0, zone: zone) }
        if let until, until <= from { throw row.error("effective_until must be after effective_from") }
        return EffectivePeriod(from: from, until: until)
    }

    private static func instant(_ value: YAMLValue, zone: String) throws -> EffectiveInstant {
        let text = try value.string()
        guard let instant = EffectiveInstant(text, timeZone: zone) else {
            throw value.error("'\(text)' is not a day (YYYY-MM-DD, midnight in \(zone)) or an RFC 3339 instant")
        }
        return instant
    }

    private static func nonEmpty(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        guard !text.isEmpty else { throw value.error("must not be empty") }
        return text
    }
}
