import Foundation
import PolicyEngine
import StrictDocuments
import Testing

@Suite struct PolicyLoaderTests {
    private static let minimal = """
        id: test
        rules: [visibility, residency]
        citation_sets:
          gdpr: {establishment: Art. 3(1), VISIBILITY_NOT_PUBLIC: Art. 5(1)(a), OPTED_OUT: Art. 21, RESIDENCY_RESTRICTED: Art. 3(2), LAWFUL_BASIS_MISSING: Art. 6(1), LAWFUL_BASIS_INSUFFICIENT: Art. 6(1), LEGITIMATE_INTERESTS_CONDITIONS: Art. 6(1)(f), CONSENT_WITHDRAWN: Art. 7(3), CONSENT_PURPOSE_MISMATCH: Art. 5(1)(b), MINOR: Art. 8, SPECIAL_CATEGORY: Art. 9, ERASED_CONTENT: Art. 17}
        citations: {VISIBILITY_NOT_PUBLIC: p, OPTED_OUT: p, RESIDENCY_UNKNOWN: p, RESIDENCY_RESTRICTED: p, LAWFUL_BASIS_MISSING: p, LAWFUL_BASIS_INSUFFICIENT: p, LEGITIMATE_INTERESTS_CONDITIONS: p, CONSENT_WITHDRAWN: p, CONSENT_PURPOSE_MISMATCH: p, MINOR: p, SPECIAL_CATEGORY: p, ERASED_CONTENT: p, tdm_reservation: p}
        jurisdictions:
          EU:
            name: European Union
            law: GDPR
            source: Regulation (EU) 2016/679
            tier: restricted
            time_zone: Europe/Brussels
            citations: gdpr
            members:
              - {country: FR, effective_from: 2018-05-25, time_zone: Europe/Paris, source: GDPR}
        options:
          restricted_jurisdictions: [EU]
        """

    @Test func minimalPolicyLoads() throws {
        let policy = try PolicyLoader.load(yaml: Self.minimal)
        #expect(policy.rules == [.visibility, .residency])
        #expect(policy.options.minimumAge == 18)
        #expect(policy.jurisdictions["EU"]?.citations[.lawfulBasisMissing] == "GDPR Art. 6(1)")
        // A day is midnight in the row's zone: 2018-05-25 in Paris is 2018-05-24T22:00:00Z.
        #expect(policy.jurisdictions["EU"]?.members[0].period.from.description == "2018-05-24T22:00:00Z")
    }

    @Test(arguments: [
        ("rules: [visibility, residency]", "rules: [visibility, residence]", 2, "rules[1]", "unknown rule 'residence'"),
        ("rules: [visibility, residency]", "rules: [visibility, visibility]", 2, "rules[1]", "listed twice"),
        ("{country: FR,", "{country: UK,", 15, "jurisdictions.EU.members[0].country", "'UK' is not an officially assigned"),
        ("{country: FR,", "{country: fr,", 15, "jurisdictions.EU.members[0].country", "'fr' is not"),
        (
            "effective_from: 2018-05-25", "effective_from: 2018-13-25", 15, "jurisdictions.EU.members[0].effective_from",
            "is not a day (YYYY-MM-DD, midnight in Europe/Paris) or an RFC 3339 instant"
        ),
        ("effective_from: 2018-05-25", "effective_from: 2018-02-30", 15, "jurisdictions.EU.members[0].effective_from", "is not a day"),
        ("time_zone: Europe/Paris", "time_zone: Europe/Pariss", 15, "jurisdictions.EU.members[0].time_zone", "is not an IANA time zone"),
        (
            "restricted_jurisdictions: [EU]", "restricted_jurisdictions: [EU, CH]", 17, "options.restricted_jurisdictions",
            "'CH'"
        ),
        ("options:", "option:", 16, "option", "unknown key"),
        ("citations: gdpr", "citations: ccpa", 13, "jurisdictions.EU.citations", "citation set 'ccpa'"),
        ("ERASED_CONTENT: Art. 17}", "}", 13, "jurisdictions.EU.citations", "has no citation for ERASED_CONTENT"),
        ("tier: restricted", "tier: maybe", 11, "jurisdictions.EU.tier", "must be one of: restricted, review"),
    ])
    func errorsNameTheLineAndKey(find: String, replace: String, line: Int, path: String, message: String) {
        let yaml = Self.minimal.replacingOccurrences(of: find, with: replace)
        #expect {
            try PolicyLoader.load(yaml: yaml)
        } throws: { error in
            guard let error = error as? DocumentError else { return false }
            return error.line == line && error.path == path && error.message.contains(message)
        }
    }

    /// A row without a source or an effective instant is refused: reference data must say
    /// where a fact comes from and since when it holds.
    @Test(arguments: [
        (", source: GDPR}", "}", "jurisdictions.EU.members[0].source"),
        ("effective_from: 2018-05-25, ", "", "jurisdictions.EU.members[0].effective_from"),
        ("    source: Regulation (EU) 2016/679\n", "", "jurisdictions.EU.source"),
        ("    time_zone: Europe/Brussels\n", "", "jurisdictions.EU.time_zone"),
    ])
    func rowsWithoutSourceOrInstantAreRefused(find: String, replace: String, path: String) {
        let yaml = Self.minimal.replacingOccurrences(of: find, with: replace)
        #expect(yaml != Self.minimal)
        #expect {
            try PolicyLoader.load(yaml: yaml)
        } throws: { error in
            (error as? DocumentError).map { $0.path == path && $0.message.contains("is required") } ?? false
        }
    }

    /// Two rows for one country that both apply at some instant are refused: the file's order
    /// would decide between them.
    @Test func overlappingRowsForACountryAreRefused() {
        let twice = Self.minimal.replacingOccurrences(
            of: "source: GDPR}",
            with: "source: GDPR}\n      - {country: FR, effective_from: 2020-01-01, time_zone: Europe/Paris, source: again}")
        #expect {
            try PolicyLoader.load(yaml: twice)
        } throws: { error in
            (error as? DocumentError).map { $0.path == "jurisdictions.EU.members[1]" && $0.message.contains("overlaps an earlier row for FR") }
                ?? false
        }
        let successive = Self.minimal.replacingOccurrences(
            of: "effective_from: 2018-05-25, time_zone: Europe/Paris, source: GDPR}",
            with:
                "effective_from: 2018-05-25, effective_until: 2020-01-01, time_zone: Europe/Paris, source: GDPR}\n      - {country: FR, effective_from: 2020-01-01, time_zone: Europe/Paris, source: again}"
        )
        #expect(throws: Never.self) { try PolicyLoader.load(yaml: successive) }
    }

    /// Absent, `restricted_jurisdictions` means every restricted-tier regime; an empty list means none.
    @Test func anEmptyRestrictedListMeansNone() throws {
        let absent = Self.minimal.replacingOccurrences(of: "options:\n  restricted_jurisdictions: [EU]", with: "")
        #expect(absent != Self.minimal)
        #expect(try PolicyLoader.load(yaml: absent).options.restrictedJurisdictions == ["EU"])
        let empty = Self.minimal.replacingOccurrences(of: "restricted_jurisdictions: [EU]", with: "restricted_jurisdictions: []")
        #expect(try PolicyLoader.load(yaml: empty).options.restrictedJurisdictions.isEmpty)
    }

    @Test func anInstantIsTakenExactly() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "effective_from: 2018-05-25,", with: #"effective_from: "2020-12-31T23:00:00Z","#)
        #expect(try PolicyLoader.load(yaml: yaml).jurisdictions["EU"]?.members[0].period.from.description == "2020-12-31T23:00:00Z")
    }

    @Test func theOperatorsEstablishmentNamesADefinedRegime() throws {
        let established = try PolicyLoader.load(yaml: Self.minimal + "\ncontroller: {established_in: [EU]}\n")
        #expect(established.controller.establishedIn == ["EU"])
        #expect {
            try PolicyLoader.load(yaml: Self.minimal + "\ncontroller: {established_in: [US]}\n")
        } throws: { error in
            (error as? DocumentError).map { $0.path == "controller.established_in[0]" && $0.message.contains("'US'") } ?? false
        }
        #expect(throws: DocumentError.self) { try PolicyLoader.overriding(established, establishedIn: ["XX"]) }
        #expect(throws: DocumentError.self) { try PolicyLoader.overriding(established, establishedIn: ["EU", "EU"]) }
    }

    @Test func syntaxErrorsCarryTheLine() {
        #expect {
            try PolicyLoader.load(yaml: "id: test\nrules: [visibility\njurisdictions: {}\n")
        } throws: { error in
            (error as? DocumentError)?.line != nil
        }
    }

    @Test func effectiveUntilMustFollowEffectiveFrom() {
        let yaml = Self.minimal.replacingOccurrences(
            of: "effective_from: 2018-05-25,", with: "effective_from: 2018-05-25, effective_until: 2018-01-01,")
        #expect(throws: DocumentError.self) { try PolicyLoader.load(yaml: yaml) }
    }
}
