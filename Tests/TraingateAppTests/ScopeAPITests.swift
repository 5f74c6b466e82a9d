import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PolicyEngine
import StrictDocuments
import PostgresTesting
import Testing
import TraingateStore
@testable import TraingateApp
import TraingateTesting

/// Lawful scope over HTTP: who runs the gate, evaluation at an instant, demonstrable consent and
/// the new lawful-basis fields, and their bad input.
@Suite struct ScopeAPITests {
    private static let swiss = #"{"image_id":"ch-1","subject":{"id":"u-ch","account_country":"CH"},"visibility":"public"}"#

    /// An auditor asks what the policy said at an instant: the revised FADP began at midnight in
    /// Zurich, 2023-08-31T22:00:00Z, and `decided_at` is the instant asked about.
    @Test(arguments: StoreBackend.available) func evaluateAtAnInstantAppliesTheRulesInForceThen(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let before = try await client.postJSON("/v1/policy/evaluate?at=2023-08-31T23:59:59%2B02:00", Self.swiss)
            #expect(before.status == .ok)
            #expect(before.json["decision"] as? String == "admitted")
            #expect(before.json["decided_at"] as? String == "2023-08-31T21:59:59Z")
            let after = try await client.postJSON("/v1/policy/evaluate?at=2023-08-31T22:00:00Z", Self.swiss)
            #expect(after.json["decision"] as? String == "rejected")
            #expect(after.json["jurisdictions"] as? [String] == ["CH"])
            let reasons = try #require(after.json["reasons"] as? [[String: Any]])
            #expect(reasons.map { $0["article"] as? String } == ["FADP Art. 3(1), Art. 6, Art. 30-31", "FADP Art. 30-31"])
            // An unescaped '+' arrives as a space; it is read as the '+' it was.
            let unescaped = try await client.postJSON("/v1/policy/evaluate?at=2023-09-01T00:00:00+02:00", Self.swiss)
            #expect(unescaped.json["decision"] as? String == "rejected")
            // Without `at`, now.
            #expect(try await client.postJSON("/v1/policy/evaluate", Self.swiss).json["decision"] as? String == "rejected")
        }
    }

    @Test(arguments: ["yesterday", "2023-09-01", "2023-09-01T00:00:00", "2023-13-01T00:00:00Z"])
    func anAtThatIsNotAnInstantIsAProblemNamingIt(at: String) async throws {
        try await TestApp.withClient { client, traingate in
            let response = try await client.postJSON("/v1/policy/evaluate?at=\(at)", Self.swiss)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let errors = try #require(response.json["errors"] as? [[String: Any]])
            #expect(errors.map { $0["field"] as? String } == ["at"])
            #expect((errors.first?["message"] as? String)?.contains(at) == true)
        }
    }

    /// A bad `at` and bad body fields come back together; `at` on an admission is refused
    /// rather than ignored, since an admission cannot be back-dated.
    @Test func atProblemsComeWithTheBodysAndAdmissionsRefuseAt() async throws {
        try await TestApp.withClient { client, traingate in
            let both = try await client.postJSON("/v1/policy/evaluate?at=soon", #"{"image_id":"x","visibility":"public"}"#)
            #expect(both.status == .badRequest)
            let fields = try #require(both.json["errors"] as? [[String: Any]]).compactMap { $0["field"] as? String }
            #expect(fields == ["at", "subject"])
            let admission = try await client.postJSON("/v1/admissions?at=2020-01-01T00:00:00Z", Self.swiss)
            #expect(admission.status == .badRequest)
            #expect((admission.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "at")
            let recorded = try await traingate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission") }
            #expect(recorded == 0)
        }
    }

    @Test func badLawfulBasisFieldsAreProblemsNamingEachField() async throws {
        try await TestApp.withClient(now: { Timestamp.parse("2026-11-28T12:00:00Z")! }) { client, traingate in
            let long = String(repeating: "r", count: 257)
            let body =
                #"{"image_id":"lb-1","subject":{"id":"u-1","account_country":"FR"},"visibility":"public","lawful_basis":{"basis":"legitimate_interests","consent_ref":"\#(long)","notice_version":"","notice_given_at":"2026-11-28T12:00:01Z"}}"#
            let response = try await client.postJSON("/v1/admissions", body)
            #expect(response.status == .badRequest)
            let fields = try #require(response.json["errors"] as? [[String: Any]]).compactMap { $0["field"] as? String }
            #expect(Set(fields) == ["lawful_basis.consent_ref", "lawful_basis.notice_version", "lawful_basis.notice_given_at"])
            // Nothing was recorded for the refused request.
            let decisions = try await traingate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission") }
            #expect(decisions == 0)
        }
    }

    /// `consent_ref` and `notice_version` are kept in the sealed facts, so that the consent can be
    /// demonstrated later (Art. 7(1)); a changed reference is a changed request.
    @Test func consentRecordsAreSealedWithTheDecision() async throws {
        try await TestApp.withClient { client, traingate in
            let body =
                #"{"image_id":"cr-1","source":"instagram","subject":{"id":"user-1","account_country":"DE"},"visibility":"public","lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-01-01T00:00:00Z","consent_ref":"consent-42","notice_version":"v3"}}"#
            let created = try await client.postJSON("/v1/admissions", body)
            #expect(created.status == .created)
            #expect(created.json["decision"] as? String == "admitted")
            let stored = try #require(try await AuditStore(database: traingate.database).entries(AuditQuery(kind: .decision)).first)
            let masterKey = Hex.decode(TestApp.masterKey)!
            let lookup = SubjectKey.pseudonym(source: "instagram", subjectID: "user-1", key: .init(data: masterKey))
            let facts = try #require(
                try await AuditStore(database: traingate.database).unsealedFacts(
                    of: stored, subjectLookup: lookup, keyring: SubjectKeyring(masterKey: .init(data: masterKey))))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(facts)) as? [String: Any])
            let basis = try #require(object["lawful_basis"] as? [String: Any])
            #expect(basis["consent_ref"] as? String == "consent-42")
            #expect(basis["notice_version"] as? String == "v3")
            let changed = try await client.postJSON("/v1/admissions", body.replacingOccurrences(of: "consent-42", with: "consent-43"))
            #expect(changed.status == .created)  // decided again: not the same request
        }
    }

    /// An operator established in the EU needs a basis for everyone: set in the configuration,
    /// stated by the policy, applied to a US subject, cited under the operator's regime.
    @Test(arguments: StoreBackend.available) func anEUEstablishedOperatorNeedsABasisForEveryone(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, { $0.establishedIn = ["EU"] }) { client, traingate in
            #expect(traingate.policy.establishmentStatement.contains("operator established in EU"))
            let policy = try await client.execute(uri: "/v1/policy", method: .get)
            #expect((policy.json["controller"] as? [String: Any])?["established_in"] as? [String] == ["EU"])
            #expect(policy.json["version"] as? String != DefaultPolicy.policy.version)
            let response = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "us-1", country: "US"))
            #expect(response.json["decision"] as? String == "rejected")
            #expect(response.json["jurisdictions"] as? [String] == ["EU"])
            let reasons = try #require(response.json["reasons"] as? [[String: Any]])
            #expect(reasons.map { $0["code"] as? String } == ["LAWFUL_BASIS_MISSING"])
            #expect(reasons.first?["article"] as? String == "GDPR Art. 3(1); GDPR Art. 6(1)")
            #expect((reasons.first?["message"] as? String)?.contains("The operator is established in EU") == true)
        }
        // The default operator is established nowhere: the same photo needs no basis.
        try await TestApp.withClient(on: backend) { client, traingate in
            #expect(traingate.policy.establishmentStatement.contains("established in no regime"))
            let response = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "us-1", country: "US"))
            #expect(response.json["decision"] as? String == "admitted")
        }
    }

    @Test func anEstablishmentInAnUnknownRegimeStopsTheStart() throws {
        #expect {
            try TestApp.make { $0.establishedIn = ["Atlantis"] }
        } throws: { error in
            "\(error)".contains("'Atlantis'") && "\(error)".contains("controller.established_in")
        }
    }
}
