import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import PolicyEngine
import StrictDocuments
import PostgresTesting
import Testing
import TraingateStore
@testable import TraingateApp
import TestFixtures
import TraingateTesting

/// The audit log as an auditor reaches it: pages, filters, verification, exports.
@Suite struct AuditAPITests {
    /// Which `Accept-Encoding` headers get a gzip'd export: an explicit gzip weight decides,
    /// `*` counts only when gzip is not named, and weight 0 means "not this".
    @Test(arguments: [
        ("gzip", true), ("br;q=1.0, gzip;q=0.8", true), ("*", true), ("identity, *;q=0.5", true), ("x-gzip", true),
        ("gzip;q=0, *", false), ("*, gzip;q=0", false), ("gzip; q=0.000", false), ("*;q=0", false), ("br", false),
        ("identity", false),
    ])
    func exportCompressionFollowsAcceptEncoding(header: String, gzip: Bool) {
        #expect(AuditController.acceptsGzip(header) == gzip)
    }

    /// Five decisions after the start-up policy entry: three admitted (US), two rejected (FR).
    private func admitFive(_ client: any TestClientProtocol) async throws {
        for index in 0..<5 {
            let response = try await client.postJSON(
                "/v1/admissions", Bodies.admission(imageID: "a-\(index)", country: index < 3 ? "US" : "FR"))
            #expect(response.status == .created)
        }
    }

    private func entries(_ response: TestResponse) -> [[String: Any]] {
        response.json["entries"] as? [[String: Any]] ?? []
    }

    @Test(arguments: StoreBackend.available) func pagesFollowTheCursorToTheEnd(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            try await admitFive(client)
            var seqs: [Int] = []
            var after = 0
            var pages = 0
            while true {
                let page = try await client.execute(uri: "/v1/audit?limit=2&after=\(after)", method: .get)
                #expect(page.status == .ok)
                seqs += entries(page).compactMap { $0["seq"] as? Int }
                pages += 1
                guard let next = page.json["next_after"] as? Int else { break }
                after = next
            }
            #expect(seqs == [1, 2, 3, 4, 5, 6])
            #expect(pages == 4)  // 2 + 2 + 2, then an empty last page says the end
            let first = try #require(entries(try await client.execute(uri: "/v1/audit?limit=1", method: .get)).first)
            #expect(first["kind"] as? String == "policy_change")
            #expect((first["details"] as? [String: Any])?["policy_id"] as? String == "default")
        }
    }

    @Test(arguments: StoreBackend.available) func filtersSelectByKindDecisionReasonAndTime(_ backend: StoreBackend) async throws {
        let clock = MutableClock(Date(timeIntervalSince1970: 1_795_000_000))
        try await TestApp.withClient(on: backend, now: clock.now) { client, _ in
            try await admitFive(client)
            clock.advance(by: 3600)
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "late", visibility: "private"))
            func seqs(_ query: String) async throws -> [Int] {
                let response = try await client.execute(uri: "/v1/audit?\(query)", method: .get)
                #expect(response.status == .ok, "\(query)")
                return entries(response).compactMap { $0["seq"] as? Int }
            }
            #expect(try await seqs("kind=decision") == [2, 3, 4, 5, 6, 7])
            #expect(try await seqs("kind=policy_change") == [1])
            #expect(try await seqs("decision=admitted") == [2, 3, 4])
            #expect(try await seqs("decision=rejected&reason=RESIDENCY_RESTRICTED") == [5, 6])
            #expect(try await seqs("reason=VISIBILITY_NOT_PUBLIC") == [7])
            let later = StrictDocuments.Timestamp.format(clock.now().addingTimeInterval(-60))
            #expect(try await seqs("since=\(later)") == [7])
            #expect(try await seqs("kind=decision&until=\(later)") == [2, 3, 4, 5, 6])
        }
    }

    @Test(arguments: StoreBackend.available) func badParametersAreAllNamedInOneProblem(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.execute(
                uri: "/v1/audit?limit=0&after=-1&kind=deletion&reason=NOPE&since=yesterday&colour=red&decision=maybe", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let fields = Set((response.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["limit", "after", "kind", "reason", "since", "colour", "decision"])
            let export = try await client.execute(uri: "/v1/audit/export?format=xml", method: .get)
            #expect(export.status == .badRequest)
        }
    }

    @Test(arguments: StoreBackend.available) func verifyReportsTheChainHead(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            try await admitFive(client)
            let report = try await client.execute(uri: "/v1/audit/verify", method: .get).json
            #expect(report["ok"] as? Bool == true)
            #expect(report["entries"] as? Int == 6)
            #expect((report["head"] as? [String: Any])?["seq"] as? Int == 6)
        }
    }

    @Test func decisionsSealTheirFactsAndNameTheSubjectOnlyByPseudonym() async throws {
        try await TestApp.withClient { client, traingate in
            _ = try await client.postJSON(
                "/v1/admissions",
                Bodies.admission(imageID: "gps", extra: #","signals":{"gps":{"lat":40.7128,"lon":-74.006}}"#))
            let entry = try #require(entries(try await client.execute(uri: "/v1/audit?kind=decision", method: .get)).first)
            let sealedText = try #require(entry["sealed"] as? String)
            let sealed = try #require(Data(base64Encoded: sealedText))
            let raw = try await client.execute(uri: "/v1/audit/export", method: .get)
            #expect(!String(buffer: raw.body).contains("user-1"))  // the subject id appears nowhere in clear

            // With the instance's master key, the subject's key opens the facts.
            let keyring = SubjectKeyring(masterKey: .init(data: Array(repeating: 0x7F, count: 32)))
            let lookup = SubjectKey.pseudonym(source: "instagram", subjectID: "user-1", key: .init(data: Array(repeating: 0x7F, count: 32)))
            let stored = try #require(try await AuditStore(database: traingate.database).entries(AuditQuery(kind: .decision)).first)
            #expect(stored.sealed == Array(sealed))
            let facts = try #require(
                try await AuditStore(database: traingate.database).unsealedFacts(of: stored, subjectLookup: lookup, keyring: keyring))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(facts)) as? [String: Any])
            #expect((object["subject"] as? [String: Any])?["id"] as? String == "user-1")
            #expect(object["image_id"] as? String == "gps")
            let countries = (object["country_signals"] as? [[String: Any]] ?? []).map { "\($0["source"]!):\($0["country"]!)" }
            #expect(countries == ["account_country:US", "gps:US"])
        }
    }

    @Test(arguments: StoreBackend.available) func exportsVerifyWithTheIndependentPythonVerifier(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            try await admitFive(client)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }

            let jsonl = try await client.execute(uri: "/v1/audit/export?format=jsonl", method: .get)
            #expect(jsonl.headers[.contentType] == "application/jsonl; charset=utf-8")
            #expect(jsonl.headers[.contentEncoding] == nil)
            #expect(String(buffer: jsonl.body).split(separator: "\n").count == 6)
            let csv = try await client.execute(
                uri: "/v1/audit/export?format=csv", method: .get, headers: [.acceptEncoding: "br;q=1.0, gzip;q=0.8"])
            #expect(csv.headers[.contentEncoding] == "gzip")
            #expect(Array(csv.body.readableBytesView.prefix(2)) == [0x1F, 0x8B])
            let refused = try await client.execute(uri: "/v1/audit/export", method: .get, headers: [.acceptEncoding: "gzip;q=0"])
            #expect(refused.headers[.contentEncoding] == nil)

            for (name, body) in [("export.jsonl", jsonl.body), ("export.csv.gz", csv.body)] {
                let file = directory.appendingPathComponent(name)
                try Data(buffer: body).write(to: file)
                let result = try Python.run(script: "scripts/verify_audit.py", arguments: [file.path])
                #expect(result.status == 0, "\(name): \(result.output)")
                #expect(result.output.contains("6 entries"), "\(name)")
            }
            // One changed byte in a field: the verifier names the entry.
            let tampered = String(buffer: jsonl.body).replacingOccurrences(of: "\"decision\":\"rejected\"", with: "\"decision\":\"admitted\"")
            let file = directory.appendingPathComponent("tampered.jsonl")
            try Data(tampered.utf8).write(to: file)
            let result = try Python.run(script: "scripts/verify_audit.py", arguments: [file.path])
            #expect(result.status == 1)
            #expect(result.output.contains("BROKEN at seq 5"))
        }
    }

    @Test func aPolicyChangeIsRecordedOnceAtStartUp() async throws {
        let (first, directory) = try TestApp.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        try first.database.close()
        let (same, _) = try TestApp.make { $0.dataDirectory = directory.path }
        try same.database.close()
        let policyFile = directory.appendingPathComponent("stricter.yaml")
        let text = try String(contentsOf: Repository.root.appendingPathComponent("config/policies/default.yaml"), encoding: .utf8)
        try text.replacingOccurrences(of: "minimum_age: 18", with: "minimum_age: 21").write(to: policyFile, atomically: true, encoding: .utf8)
        let (changed, _) = try TestApp.make {
            $0.dataDirectory = directory.path
            $0.policyPath = policyFile.path
        }
        let changes = try await AuditStore(database: changed.database).entries(AuditQuery(kind: .policyChange))
        #expect(changes.count == 2)
        guard case .object(let details)? = changes.last?.details else { Issue.record("policy_change without details"); return }
        #expect(details["previous_version"] == .string(DefaultPolicy.policy.version))
        #expect(changes.last?.policyVersion != DefaultPolicy.policy.version)
        try changed.database.close()
    }
}
