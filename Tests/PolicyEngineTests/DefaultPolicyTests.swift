import Foundation
import PolicyEngine
import StrictDocuments
import Testing
import TestFixtures

@Suite struct DefaultPolicyTests {

    @Test func embeddedPolicyIsByteEqualToTheConfigFile() throws {
        let file = try String(
            contentsOf: Repository.root.appendingPathComponent("config/policies/default.yaml"), encoding: .utf8)
        let fileBytes = Array(file.utf8)
        let embeddedBytes = Array(DefaultPolicy.yaml.utf8)
        let firstDifference =
            zip(fileBytes, embeddedBytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(fileBytes.count, embeddedBytes.count)
        #expect(
            fileBytes == embeddedBytes,
            "differs at byte \(firstDifference): run scripts/embed-default-policy after editing config/policies/default.yaml")
    }

    @Test func defaultOptionsAreTheSafeOnes() {
        let policy = DefaultPolicy.policy
        let options = policy.options
        #expect(options.minimumAge == 18)
        #expect(options.allowLegitimateInterests == false)
        #expect(options.objectionWindowDays == 30)
        #expect(options.requireResidencySignal == true)
        #expect(options.restrictedJurisdictions == ["EU", "EEA", "UK", "CH", "GI", "IM", "JE", "GG", "FO", "FR-OVERSEAS", "MC"])
        #expect(options.reviewRegimes == .restricted)
        #expect(options.gpsBorderDistanceKm == 25)
        #expect(policy.controller.establishedIn.isEmpty)
    }

    @Test func versionIgnoresFormattingButNotMeaning() throws {
        let original = DefaultPolicy.policy
        #expect(original.version.hasPrefix("sha256:") && original.version.count == 71)
        // Strip comments and blank lines, re-indent flow maps: same meaning, same version.
        let reformatted = DefaultPolicy.yaml.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.replacingOccurrences(of: "{country: ", with: "{ country:   ") }
            .joined(separator: "\n")
        #expect(try PolicyLoader.load(yaml: reformatted).version == original.version)
        let changed = DefaultPolicy.yaml.replacingOccurrences(of: "minimum_age: 18", with: "minimum_age: 16")
        #expect(try PolicyLoader.load(yaml: changed).version != original.version)
        let established = DefaultPolicy.yaml.replacingOccurrences(of: "established_in: []", with: "established_in: [EU]")
        #expect(try PolicyLoader.load(yaml: established).version != original.version)
    }

    private static let now = Date(timeIntervalSince1970: 1_795_867_200)  // 2026-11-28T12:00:00Z

    @Test(arguments: [
        ("FR", "EU"), ("DE", "EU"), ("GF", "EU"), ("GP", "EU"), ("MQ", "EU"), ("RE", "EU"), ("YT", "EU"), ("MF", "EU"),
        ("AX", "EU"), ("IS", "EEA"), ("LI", "EEA"), ("NO", "EEA"), ("GB", "UK"), ("CH", "CH"), ("GI", "GI"), ("IM", "IM"),
        ("JE", "JE"), ("GG", "GG"), ("FO", "FO"), ("PF", "FR-OVERSEAS"), ("NC", "FR-OVERSEAS"), ("WF", "FR-OVERSEAS"),
        ("PM", "FR-OVERSEAS"), ("BL", "FR-OVERSEAS"), ("TF", "FR-OVERSEAS"), ("MC", "MC"),
        ("AD", "AD"), ("SM", "SM"), ("VA", "VA"), ("SJ", "SJ"), ("GL", "GL"), ("BQ", "BQ"), ("AW", "AW"), ("CW", "CW"), ("SX", "SX"),
    ])
    func governedTerritories(country: String, jurisdiction: String) throws {
        #expect(DefaultPolicy.policy.restrictedJurisdictions(of: try #require(CountryCode(country)), at: Self.now) == [jurisdiction])
    }

    @Test(arguments: ["US", "TR", "JP", "BR", "IN", "CA"])
    func territoriesOutsideEveryRegime(country: String) throws {
        #expect(DefaultPolicy.policy.restrictedJurisdictions(of: try #require(CountryCode(country)), at: Self.now).isEmpty)
    }

    @Test func reviewRegimesFollowTheOption() throws {
        var options = DefaultPolicy.policy.options
        options.reviewRegimes = .open
        let open = DefaultPolicy.policy.with(options: options)
        #expect(open.restrictedJurisdictions(of: try #require(CountryCode("AD")), at: Self.now).isEmpty)
        #expect(open.restrictedJurisdictions(of: try #require(CountryCode("JE")), at: Self.now) == ["JE"])
    }

    @Test func theEUHasTwentySevenMemberStatesPlusItsRegionsWithOwnCodes() throws {
        let eu = try #require(DefaultPolicy.policy.jurisdictions["EU"]).countries(at: Self.now)
        #expect(eu.count == 27 + 7)
        #expect(!eu.contains(try #require(CountryCode("GB"))))
        #expect(!eu.contains(try #require(CountryCode("BL"))))  // left the Union on 2012-01-01
    }

    /// Boundaries are instants in the regime's own time zone, not UTC days.
    @Test func effectiveDatesAreInstantsInTheirTimeZone() throws {
        let policy = DefaultPolicy.policy
        let swiss = try #require(CountryCode("CH"))
        #expect(policy.restrictedJurisdictions(of: swiss, at: try #require(Timestamp.parse("2023-08-31T21:59:59Z"))).isEmpty)
        #expect(policy.restrictedJurisdictions(of: swiss, at: try #require(Timestamp.parse("2023-08-31T22:00:00Z"))) == ["CH"])
        let british = try #require(CountryCode("GB"))
        #expect(policy.restrictedJurisdictions(of: british, at: try #require(Timestamp.parse("2020-12-31T22:59:59Z"))) == ["EU"])
        #expect(policy.restrictedJurisdictions(of: british, at: try #require(Timestamp.parse("2020-12-31T23:00:00Z"))) == ["UK"])
    }

    @Test func consentAgesFollowTheirEffectiveInstants() throws {
        let policy = DefaultPolicy.policy
        let denmark = try #require(CountryCode("DK"))
        // Midnight in Copenhagen (UTC+1) on 2024-01-01.
        #expect(policy.consentAge(of: denmark, at: try #require(Timestamp.parse("2023-12-31T22:59:59Z"))) == 13)
        #expect(policy.consentAge(of: denmark, at: try #require(Timestamp.parse("2023-12-31T23:00:00Z"))) == 15)
        let greece = try #require(CountryCode("GR"))
        #expect(policy.consentAge(of: greece, at: try #require(Timestamp.parse("2019-08-28T20:59:59Z"))) == 16)
        #expect(policy.consentAge(of: greece, at: try #require(Timestamp.parse("2019-08-28T21:00:00Z"))) == 15)
        #expect(policy.consentAge(of: try #require(CountryCode("DE")), at: Self.now) == 16)
        #expect(policy.consentAge(of: try #require(CountryCode("US")), at: Self.now) == nil)
    }

    /// The quality bar of the reference data: every row names a primary source and starts at an
    /// instant with its time zone, and every regime says what its reasons cite.
    @Test func everyReferenceRowHasASourceAndAnEffectiveInstant() {
        let policy = DefaultPolicy.policy
        for (label, regime) in policy.jurisdictions {
            #expect(!regime.law.isEmpty && !regime.source.isEmpty, "\(label)")
            #expect(TimeZone(identifier: regime.timeZone) != nil, "\(label)")
            #expect(ReasonCode.allCases.filter { $0 != .residencyUnknown }.allSatisfy { regime.citations[$0] != nil }, "\(label)")
            for row in regime.members {
                #expect(!row.source.isEmpty, "\(label) \(row.country)")
                #expect(TimeZone(identifier: row.period.from.timeZone) != nil, "\(label) \(row.country)")
            }
        }
        for row in policy.consentAges {
            #expect(!row.source.isEmpty && TimeZone(identifier: row.period.from.timeZone) != nil, "\(row.country)")
        }
    }

    /// Every territory row, on both sides of its start and its end: a second before, the country
    /// is not in the regime by that row; from the instant, it is; and a row written as a day
    /// starts at midnight in its own zone.
    @Test func everyTerritoryRowTakesEffectAtItsInstant() throws {
        var options = DefaultPolicy.policy.options
        options.restrictedJurisdictions = DefaultPolicy.policy.regimeOrder.filter { DefaultPolicy.policy.jurisdictions[$0]?.tier == .restricted }
        options.reviewRegimes = .restricted
        let policy = DefaultPolicy.policy.with(options: options)
        for (label, regime) in policy.jurisdictions {
            for row in regime.members {
                let regimes = { (date: Date) in policy.restrictedJurisdictions(of: row.country, at: date) }
                #expect(!regimes(row.period.from.date.addingTimeInterval(-1)).contains(label), "\(label) \(row.country) before \(row.period.from)")
                #expect(regimes(row.period.from.date).contains(label), "\(label) \(row.country) at \(row.period.from)")
                if let until = row.period.until {
                    #expect(regimes(until.date.addingTimeInterval(-1)).contains(label), "\(label) \(row.country) before \(until)")
                    #expect(!regimes(until.date).contains(label), "\(label) \(row.country) at \(until)")
                }
                try Self.expectMidnightIfADay(row.period.from, "\(label) \(row.country)")
            }
        }
    }

    /// Every Art. 8 row applies from its instant (midnight in the country's zone for a day) and
    /// not a second before; the age before it is the GDPR's default or the previous row's.
    @Test func everyArt8RowTakesEffectAtItsInstant() throws {
        let policy = DefaultPolicy.policy
        for row in policy.consentAges {
            #expect(policy.consentAge(of: row.country, at: row.period.from.date) == row.age, "\(row.country) at \(row.period.from)")
            let before = policy.consentAge(of: row.country, at: row.period.from.date.addingTimeInterval(-1))
            #expect(before == nil || before != row.age, "\(row.country) before \(row.period.from)")
            try Self.expectMidnightIfADay(row.period.from, "\(row.country) age \(row.age)")
        }
    }

    private static func expectMidnightIfADay(_ instant: EffectiveInstant, _ what: String) throws {
        guard !instant.written.contains("T") else { return }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: instant.timeZone))
        let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant.date)
        let written = instant.written.split(separator: "-").compactMap { Int($0) }
        #expect(
            [local.year, local.month, local.day, local.hour, local.minute, local.second] == [written[0], written[1], written[2], 0, 0, 0],
            "\(what): \(instant.written) in \(instant.timeZone)")
    }
}

extension Policy {
    /// Labels of the governing regimes `country` belongs to at `date`, in reporting order.
    func restrictedJurisdictions(of country: CountryCode, at date: Date) -> [String] {
        Set(governingRegimes(of: country, at: date)).sorted().map { reportingOrder[$0] }
    }
}
