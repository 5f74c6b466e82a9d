import StrictDocuments

/// Reads a policy from YAML, rejecting unknown keys and bad values with the line and key.
public enum PolicyLoader {
    /// - Throws: `DocumentError` naming the line and key of the first problem.
    public static func load(yaml text: String) throws -> Policy {
        let root = try YAMLValue.parse(text, documentName: "policy")
        let top = try root.mapping(
            allowed: ["id", "description", "options", "rules", "jurisdictions", "art8_ages"],
            required: ["id", "rules", "jurisdictions"])
        let id = try top["id"]!.string()
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw top["id"]!.error("must be 1..64 letters, digits, '-' or '_'")
        }
        let jurisdictions = try readJurisdictions(top["jurisdictions"]!)
        let options = try top["options"].map { try readOptions($0, known: jurisdictions) } ?? PolicyOptions()
        if top["options"] == nil { try checkRestricted(options.restrictedJurisdictions, known: jurisdictions, at: root) }
        return Policy(
            id: id,
            description: try top["description"]?.string() ?? "",
            options: options,
            rules: try readRules(top["rules"]!),
            jurisdictions: jurisdictions,
            consentAges: try top["art8_ages"].map(readConsentAges) ?? [])
    }

    /// The policy with some options replaced by those in `value` (a YAML `options` mapping).
    public static func overriding(_ policy: Policy, with value: YAMLValue) throws -> Policy {
        policy.with(options: try readOptions(value, known: policy.jurisdictions, base: policy.options))
    }

    private static func readOptions(
        _ value: YAMLValue, known: [String: Jurisdiction], base: PolicyOptions = PolicyOptions()
    ) throws -> PolicyOptions {
        let map = try value.mapping(allowed: [
            "minimum_age", "allow_legitimate_interests", "require_residency_signal", "restricted_jurisdictions",
            "gps_border_distance_km",
        ])
        var options = base
        if let v = map["minimum_age"] { options.minimumAge = try v.int(in: 0...150) }
        if let v = map["allow_legitimate_interests"] { options.allowLegitimateInterests = try v.bool() }
        if let v = map["require_residency_signal"] { options.requireResidencySignal = try v.bool() }
        if let v = map["gps_border_distance_km"] { options.gpsBorderDistanceKm = try v.double(in: 0...500) }
        if let v = map["restricted_jurisdictions"] {
            options.restrictedJurisdictions = try v.sequence().map { try $0.string() }
            try checkRestricted(options.restrictedJurisdictions, known: known, at: v)
        }
        return options
    }

    private static func checkRestricted(_ names: [String], known: [String: Jurisdiction], at value: YAMLValue) throws {
        for name in names where known[name] == nil {
            throw value.error("names jurisdiction '\(name)', which the policy does not define under 'jurisdictions'")
        }
        if Set(names).count != names.count { throw value.error("lists a jurisdiction twice") }
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

    private static func readJurisdictions(_ value: YAMLValue) throws -> [String: Jurisdiction] {
        var result: [String: Jurisdiction] = [:]
        for (name, body) in try value.entries() {
            let map = try body.mapping(allowed: ["name", "members"], required: ["members"])
            let members = try map["members"]!.sequence().map { row in
                let fields = try row.mapping(
                    allowed: ["country", "effective_from", "effective_until", "source", "note"],
                    required: ["country", "effective_from", "source"])
                return TerritoryRow(
                    country: try country(fields["country"]!),
                    period: try period(fields, at: row),
                    source: try nonEmpty(fields["source"]!),
                    note: try fields["note"]?.string())
            }
            result[name] = Jurisdiction(name: try map["name"]?.string() ?? name, members: members)
        }
        return result
    }

    private static func readConsentAges(_ value: YAMLValue) throws -> [ConsentAgeRow] {
        try value.sequence().map { row in
            let fields = try row.mapping(
                allowed: ["country", "age", "effective_from", "effective_until", "source"],
                required: ["country", "age", "effective_from", "source"])
            return ConsentAgeRow(
                country: try country(fields["country"]!),
                age: try fields["age"]!.int(in: 0...150),
                period: try period(fields, at: row),
                source: try nonEmpty(fields["source"]!))
        }
    }

    private static func country(_ value: YAMLValue) throws -> CountryCode {
        let text = try value.string()
        guard let code = CountryCode(text) else {
            throw value.error("'\(text)' is not an officially assigned ISO 3166-1 alpha-2 code (upper case)")
        }
        return code
    }

    private static func period(_ fields: [String: YAMLValue], at row: YAMLValue) throws -> EffectivePeriod {
        let from = try day(fields["effective_from"]!)
        let until = try fields["effective_until"].map(day)
        if let until, until <= from { throw row.error("effective_until must be after effective_from") }
        return EffectivePeriod(from: from, until: until)
    }

    private static func day(_ value: YAMLValue) throws -> CalendarDay {
        let text = try value.string()
        guard let day = CalendarDay(text) else { throw value.error("'\(text)' is not a date (YYYY-MM-DD)") }
        return day
    }

    private static func nonEmpty(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        guard !text.isEmpty else { throw value.error("must not be empty") }
        return text
    }
}
