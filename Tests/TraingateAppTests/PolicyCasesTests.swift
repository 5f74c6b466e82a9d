import Foundation
import PolicyEngine
import TestFixtures
import Testing
@testable import TraingateApp

/// The shipped policy test cases (config/policies/default.tests.yaml) run in the suite, one test each.
@Suite struct PolicyCasesTests {
    static let casesFile = Repository.path("config/policies/default.tests.yaml")
    static let outcomes: [PolicyTestRunner.Outcome] = (try? PolicyTestRunner().run(file: casesFile)) ?? []

    @Test func theCaseFileLoadsAndHasAtLeastEightyCases() throws {
        #expect(try PolicyTestRunner().run(file: Self.casesFile).count >= 80)
    }

    @Test(arguments: outcomes.map(\.name))
    func policyCase(name: String) throws {
        let outcome = try #require(Self.outcomes.first { $0.name == name })
        #expect(outcome.differences == [])
    }

    @Test func everyReasonCodeIsExpectedByAtLeastTwoCases() {
        let expected = Self.outcomes.flatMap(\.expectedReasons)
        for code in ReasonCode.allCases {
            #expect(expected.filter { $0 == code.rawValue }.count >= 2, "too few cases expect \(code.rawValue)")
        }
    }

    @Test func aFailingCaseIsReportedWithADiff() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cases-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        cases:
          - name: wrong on purpose
            now: 2026-11-28T12:00:00Z
            input: {image_id: a, subject: {id: u, account_country: "FR"}, visibility: public}
            expect: {decision: admitted, reasons: []}
        """.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try #require(try PolicyTestRunner().run(file: file.path).first)
        #expect(!outcome.passed)
        #expect(outcome.differences.contains("decision: expected admitted, got rejected"))
        #expect(outcome.differences.contains { $0.hasPrefix("reasons: expected [] got") || $0.contains("RESIDENCY_RESTRICTED") })
    }
}
