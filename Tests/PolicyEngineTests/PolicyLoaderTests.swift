import PolicyEngine
import StrictDocuments
import Testing

@Suite struct PolicyLoaderTests {
    private static let minimal = """
        id: test
        rules: [visibility, residency]
        jurisdictions:
          EU:
            members:
              - {country: FR, effective_from: 2018-05-25, source: GDPR}
        options:
          restricted_jurisdictions: [EU]
        """

    @Test func minimalPolicyLoads() throws {
        let policy = try PolicyLoader.load(yaml: Self.minimal)
        #expect(policy.rules == [.visibility, .residency])
        #expect(policy.options.minimumAge == 18)
    }

    @Test(arguments: [
        ("rules: [visibility, residency]", "rules: [visibility, residence]", 2, "rules[1]", "unknown rule 'residence'"),
        ("rules: [visibility, residency]", "rules: [visibility, visibility]", 2, "rules[1]", "listed twice"),
        ("{country: FR,", "{country: UK,", 6, "jurisdictions.EU.members[0].country", "'UK' is not an officially assigned"),
        ("{country: FR,", "{country: fr,", 6, "jurisdictions.EU.members[0].country", "'fr' is not"),
        ("effective_from: 2018-05-25", "effective_from: 2018-13-25", 6, "jurisdictions.EU.members[0].effective_from",
         "is not a date"),
        ("restricted_jurisdictions: [EU]", "restricted_jurisdictions: [EU, CH]", 8, "options.restricted_jurisdictions",
         "'CH'"),
        ("options:", "option:", 7, "option", "unknown key"),
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
