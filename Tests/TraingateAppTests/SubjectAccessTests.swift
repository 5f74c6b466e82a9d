import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresTesting
import Testing
import TraingateTesting

@testable import TraingateApp

/// `GET /v1/subjects/{subject_id}` (GDPR Art. 15): everything held, with the facts unsealed,
/// as JSON, Markdown or HTML; every access is an audit entry, one that finds nothing too.
@Suite struct SubjectAccessTests {
    private func accessEntries(_ client: any TestClientProtocol, _ keys: [String: String]) async throws -> [[String: Any]] {
        try await client.get("/v1/audit?kind=access&limit=1000", key: keys["auditor"]).json["entries"] as? [[String: Any]] ?? []
    }

    private func get(_ client: any TestClientProtocol, _ path: String, key: String?, accept: String) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: accept]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    @Test(arguments: StoreBackend.available) func theReportShowsEveryDecisionItsFactsAndWhereTheImageWent(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            for (photo, imageID, visibility) in [("china.jpg", "a", "public"), ("astronaut.jpg", "b", "public"), ("chelsea.png", "c", "private")] {
                let body =
                    #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"reader","account_country":"US"},"visibility":"\#(visibility)","lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-01-01T00:00:00Z","consent_ref":"cr-\#(imageID)"},"image_base64":"\#(Data(Bodies.image(photo)).base64EncodedString())"}"#
                _ = try await client.postJSON("/v1/admissions", body, key: keys["submitter"])
            }
            let job = try await client.postJSON("/v1/training/jobs", #"{"epochs": 1, "batch_size": 2, "embedding_dim": 8}"#, key: keys["trainer"])
            let jobID = try #require(job.json["job_id"] as? String)
            var finished: [String: Any] = [:]
            for _ in 0..<6000 where !["succeeded", "failed"].contains(finished["status"] as? String ?? "") {
                try await Task.sleep(for: .milliseconds(20))
                finished = try await client.get("/v1/training/jobs/\(jobID)", key: keys["trainer"]).json
            }
            let checkpoint = try #require(finished["checkpoint_id"] as? String)

            let response = try await client.get("/v1/subjects/reader?source=instagram", key: keys["auditor"])
            #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("application/json") == true)
            let report = response.json
            #expect((report["subject"] as? [String: Any])?["id"] as? String == "reader" && report["objection"] is NSNull)
            let admissions = try #require(report["admissions"] as? [[String: Any]])
            #expect(admissions.map { $0["image_id"] as? String } == ["a", "b", "c"])
            #expect(admissions.map { $0["decision"] as? String } == ["admitted", "admitted", "rejected"])
            #expect(admissions.map { $0["queued"] as? Bool } == [true, true, false])
            for (admission, imageID) in zip(admissions, ["a", "b", "c"]) {
                let facts = try #require(admission["facts"] as? [String: Any], "facts are unsealed")
                #expect((facts["lawful_basis"] as? [String: Any])?["consent_ref"] as? String == "cr-\(imageID)", "\(facts)")
            }
            #expect((admissions[0]["embeddings"] as? [[String: Any]])?.first?["checkpoint_id"] as? String == checkpoint)
            let trained = try #require((admissions[1]["trained"] as? [[String: Any]])?.first)
            #expect(trained["checkpoint_id"] as? String == checkpoint && trained["job_id"] as? String == jobID && trained["epochs"] as? Int == 1)
            #expect((admissions[2]["trained"] as? [Any])?.isEmpty == true && admissions[2]["image"] is NSNull)

            // The access is an audit entry: found, how many, the format and the key; not the subject.
            let seq = try #require((report["audit"] as? [String: Any])?["seq"] as? Int)
            let entry = try #require(try await accessEntries(client, keys).first { $0["seq"] as? Int == seq })
            let details = try #require(entry["details"] as? [String: Any])
            #expect(details["found"] as? Bool == true && details["admissions"] as? Int == 3 && details["format"] as? String == "json")
            #expect(details["api_key"] as? String == "auditor" && entry["subject_ref"] is NSNull)
            #expect(try await client.get("/v1/audit/verify", key: keys["auditor"]).json["ok"] as? Bool == true)
        }
    }

    @Test(arguments: StoreBackend.available) func peopleCanReadItAsMarkdownOrHTMLAndNothingInItIsMarkup(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            let hostile = #"<script>alert(1)</script> | *x*"#
            let body =
                #"{"image_id":"\#(hostile)","source":"instagram","subject":{"id":"reader","account_country":"US"},"visibility":"public"}"#
            #expect(try await client.postJSON("/v1/admissions", body, key: keys["submitter"]).status == .created)

            let markdown = try await get(client, "/v1/subjects/reader?source=instagram", key: keys["dpo"], accept: "text/markdown")
            #expect(markdown.headers[.contentType] == "text/markdown; charset=utf-8")
            let text = String(buffer: markdown.body)
            #expect(text.hasPrefix("# Subject access report"))
            #expect(text.contains(#"\<script\>alert\(1\)\</script\> \| \*x\*"#), "\(text)")
            #expect(text.contains("| Decision | admitted |"))

            let html = try await get(client, "/v1/subjects/reader?source=instagram", key: keys["dpo"], accept: "text/html;q=0.9, text/markdown;q=0.5")
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            let page = String(buffer: html.body)
            #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt; | *x*"))
            #expect(!page.contains("<script>"))

            let refused = try await get(client, "/v1/subjects/reader?source=instagram", key: keys["dpo"], accept: "image/png")
            #expect(refused.status == .notAcceptable && refused.headers[.contentType] == "application/problem+json")
            let formats = try await accessEntries(client, keys).compactMap { ($0["details"] as? [String: Any])?["format"] as? String }
            #expect(formats == ["markdown", "html"], "a refused format is not an access")
        }
    }

    /// A line break of any kind, "\r\n" included (one Character in Swift), cannot end a table row.
    @Test func lineBreaksNeverSplitAMarkdownRow() {
        #expect(MarkdownReport.escape("a\r\nb\nc\rd\u{2028}e") == "a b c d e")
    }

    @Test(arguments: StoreBackend.available) func anUnknownOrErasedSubjectIsNotFoundAndOnlyTheAccessIsAudited(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            let before = try await client.get("/v1/audit/verify", key: keys["auditor"]).json["entries"] as? Int ?? 0
            let unknown = try await client.get("/v1/subjects/nobody", key: keys["auditor"])
            #expect(unknown.status == .notFound && unknown.headers[.contentType] == "application/problem+json")
            #expect(try await client.get("/v1/audit/verify", key: keys["auditor"]).json["entries"] as? Int == before + 1)
            let details = try #require(try await accessEntries(client, keys).last?["details"] as? [String: Any])
            #expect(details["found"] as? Bool == false && details["admissions"] as? Int == 0)

            _ = try await client.postJSON("/v1/admissions", Bodies.admission(), key: keys["submitter"])
            #expect(try await client.get("/v1/subjects/user-1?source=instagram", key: keys["auditor"]).status == .ok)
            #expect(try await client.delete("/v1/subjects/user-1?source=instagram", key: keys["dpo"]).status == .ok)
            #expect(try await client.get("/v1/subjects/user-1?source=instagram", key: keys["auditor"]).status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.available) func onlyAuditorsAndDataProtectionOfficersMayReadIt(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(), key: keys["submitter"])
            for role in ["submitter", "trainer"] {
                #expect(try await client.get("/v1/subjects/user-1?source=instagram", key: keys[role]).status == .forbidden, "\(role)")
            }
            for role in ["auditor", "dpo", "admin"] {
                #expect(try await client.get("/v1/subjects/user-1?source=instagram", key: keys[role]).status == .ok, "\(role)")
            }
            #expect(try await client.get("/v1/subjects/user-1", key: nil).status == .unauthorized)
        }
    }
}
