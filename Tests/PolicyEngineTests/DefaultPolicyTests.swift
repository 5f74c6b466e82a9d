import Foundation
import PolicyEngine
import Testing

@Suite struct DefaultPolicyTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func embeddedPolicyIsByteEqualToTheConfigFile() throws {
        let file = try String(
            contentsOf: Self.repositoryRoot.appendingPathComponent("config/policies/default.yaml"), encoding: .utf8)
        let fileBytes = Array(file.utf8)
        let embeddedBytes = Array(DefaultPolicy.yaml.utf8)
        let firstDifference = zip(fileBytes, embeddedBytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(fileBytes.count, embeddedBytes.count)
        #expect(
            fileBytes == embeddedBytes,
            "differs at byte \(firstDifference): run scripts/embed-default-policy after editing config/policies/default.yaml")
    }

    @Test func defaultOptionsAreTheSafeOnes() {
        let options = DefaultPolicy.policy.options
        #expect(options.minimumAge == 18)
        #expect(options.allowLegitimateInterests == false)
        #expect(options.requireResidencySignal == true)
        #expect(options.restrictedJurisdictions == ["EU", "EEA", "UK", "CH"])
        #expect(options.gpsBorderDistanceKm == 25)
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
    }

    @Test(arguments: [
        ("FR", "EU"), ("DE", "EU"), ("GF", "EU"), ("GP", "EU"), ("MQ", "EU"), ("RE", "EU"), ("YT", "EU"), ("MF", "EU"),
        ("AX", "EU"), ("IS", "EEA"), ("LI", "EEA"), ("NO", "EEA"), ("GB", "UK"), ("CH", "CH"),
    ])
    func restrictedTerritories(country: String, jurisdiction: String) throws {
        let day = try #require(CalendarDay("2026-11-28"))
        #expect(DefaultPolicy.policy.restrictedJurisdictions(of: try #require(CountryCode(country)), on: day) == [jurisdiction])
    }

    @Test(arguments: ["FO", "GL", "MC", "SM", "VA", "AD", "GG", "JE", "IM", "BL", "NC", "PF", "AW", "CW", "US", "TR"])
    func territoriesOutsideEveryRestrictedJurisdiction(country: String) throws {
        let day = try #require(CalendarDay("2026-11-28"))
        #expect(DefaultPolicy.policy.restrictedJurisdictions(of: try #require(CountryCode(country)), on: day).isEmpty)
    }

    @Test func theEUHasTwentySevenMemberStatesPlusItsRegionsWithOwnCodes() throws {
        let day = try #require(CalendarDay("2026-11-28"))
        let eu = try #require(DefaultPolicy.policy.jurisdictions["EU"]).countries(on: day)
        #expect(eu.count == 27 + 7)
        #expect(!eu.contains(try #require(CountryCode("GB"))))
    }

    @Test func consentAgesFollowTheirEffectiveDates() throws {
        let policy = DefaultPolicy.policy
        let denmark = try #require(CountryCode("DK"))
        #expect(policy.consentAge(of: denmark, on: try #require(CalendarDay("2023-12-31"))) == 13)
        #expect(policy.consentAge(of: denmark, on: try #require(CalendarDay("2024-01-01"))) == 15)
        #expect(policy.consentAge(of: try #require(CountryCode("DE")), on: try #require(CalendarDay("2026-01-01"))) == 16)
        #expect(policy.consentAge(of: try #require(CountryCode("US")), on: try #require(CalendarDay("2026-01-01"))) == nil)
    }

    @Test func everyReferenceRowNamesItsSource() {
        let policy = DefaultPolicy.policy
        #expect(policy.jurisdictions.values.flatMap(\.members).allSatisfy { !$0.source.isEmpty })
        #expect(policy.consentAges.allSatisfy { !$0.source.isEmpty })
    }
}
