import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresTesting
import Testing
import TraingateStore
import TraingateTesting

@testable import TraingateApp

/// `POST /v1/subjects/{subject_id}/objection` (GDPR Art. 21): the subject's queued items leave
/// the queue, later admissions are `OPTED_OUT`, the audit entry names the key and the count but
/// never the subject, and only `dpo` (and `admin`) keys may register one.
@Suite struct SubjectsAPITests {
    /// The training queue's length as `/metrics` reports it, on either backend.
    private func queued(_ client: any TestClientProtocol, _ keys: [String: String]) async throws -> Int {
        let metrics = PrometheusExposition(String(buffer: try await client.get("/metrics", key: keys["auditor"]).body))
        return Int(try #require(metrics.value("traingate_training_queue_images")))
    }

    @Test(arguments: StoreBackend.available) func anObjectionEmptiesTheSubjectsQueueAndStopsLaterAdmissions(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            let image = Data(Bodies.jpeg).base64EncodedString()
            var first: String?
            for (imageID, subject) in [("ig_a", "user-1"), ("ig_b", "user-1"), ("ig_c", "user-2")] {
                let body =
                    #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"\#(subject)","account_country":"US"},"visibility":"public","image_base64":"\#(image)"}"#
                let admitted = try await client.postJSON("/v1/admissions", body, key: keys["submitter"])
                #expect(admitted.json["queued"] as? Bool == true, "\(admitted.json)")
                if first == nil { first = admitted.json["admission_id"] as? String }
            }
            #expect(try await queued(client, keys) == 3)

            // The same id at another source is another subject: nothing leaves the queue.
            let elsewhere = try await client.postJSON("/v1/subjects/user-1/objection", "", key: keys["dpo"])
            #expect(elsewhere.status == .ok)
            #expect((elsewhere.json["removed"] as? [String: Any])?["queue_items"] as? Int == 0)

            let objection = try await client.postJSON("/v1/subjects/user-1/objection?source=instagram", "", key: keys["dpo"])
            #expect(objection.status == .ok)
            #expect((objection.json["removed"] as? [String: Any])?["queue_items"] as? Int == 2)
            #expect(objection.json["already_registered"] as? Bool == false)
            #expect(try await queued(client, keys) == 1)
            let firstID = try #require(first)
            #expect(try await client.get("/v1/admissions/\(firstID)", key: keys["auditor"]).json["queued"] as? Bool == false)

            // Later admissions of the subject are rejected.
            let later = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "ig_d"), key: keys["submitter"])
            #expect(later.json["decision"] as? String == "rejected")
            #expect((later.json["reasons"] as? [[String: Any]])?.contains { $0["code"] as? String == "OPTED_OUT" } == true, "\(later.json)")

            // Repeating it is harmless and says so.
            let again = try await client.postJSON("/v1/subjects/user-1/objection?source=instagram", "", key: keys["admin"])
            #expect(again.json["already_registered"] as? Bool == true)
            #expect((again.json["removed"] as? [String: Any])?["queue_items"] as? Int == 0)

            // The audit entry names the key and the count, never the subject.
            let seq = try #require((objection.json["audit"] as? [String: Any])?["seq"] as? Int)
            let entries = try await client.get("/v1/audit?kind=objection", key: keys["auditor"])
            let entry = try #require((entries.json["entries"] as? [[String: Any]])?.first { $0["seq"] as? Int == seq })
            let details = try #require(entry["details"] as? [String: Any])
            #expect(details["api_key"] as? String == "dpo" && details["dequeued"] as? Int == 2)
            #expect(!String(buffer: entries.body).contains("user-1"))
            #expect(try await client.get("/v1/audit/verify", key: keys["auditor"]).json["ok"] as? Bool == true)
        }
    }

    /// A consent withdrawal arriving on a new admission body reaches back: the subject's earlier
    /// items leave the queue in the same transaction (counted in the decision's audit details);
    /// another subject's stay, and a later consent is honoured again (no standing objection).
    @Test(arguments: StoreBackend.available) func aConsentWithdrawalTakesTheSubjectsEarlierItemsOutOfTheQueue(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            let image = Data(Bodies.jpeg).base64EncodedString()
            for (imageID, subject) in [("ig_a", "user-1"), ("ig_b", "user-1"), ("ig_c", "user-2")] {
                let body =
                    #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"\#(subject)","account_country":"US"},"visibility":"public","image_base64":"\#(image)"}"#
                #expect(try await client.postJSON("/v1/admissions", body, key: keys["submitter"]).json["queued"] as? Bool == true)
            }
            let withdrawal = Bodies.admission(
                imageID: "ig_w",
                extra:
                    #","lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-01-01T00:00:00Z","withdrawn_at":"2026-02-01T00:00:00Z"}"#
            )
            let withdrawn = try await client.postJSON("/v1/admissions", withdrawal, key: keys["submitter"])
            #expect(withdrawn.json["decision"] as? String == "rejected")
            #expect((withdrawn.json["reasons"] as? [[String: Any]])?.contains { $0["code"] as? String == "CONSENT_WITHDRAWN" } == true)
            #expect(try await queued(client, keys) == 1)
            let seq = try #require((withdrawn.json["audit"] as? [String: Any])?["seq"] as? Int)
            let entries = try await client.get("/v1/audit?kind=decision", key: keys["auditor"])
            let entry = try #require((entries.json["entries"] as? [[String: Any]])?.first { $0["seq"] as? Int == seq })
            #expect((entry["details"] as? [String: Any])?["dequeued"] as? Int == 2)

            let consentAgain = Bodies.admission(
                imageID: "ig_e",
                extra:
                    #","lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-03-01T00:00:00Z","withdrawn_at":"2026-02-01T00:00:00Z"},"image_base64":"\#(image)""#
            )
            let admitted = try await client.postJSON("/v1/admissions", consentAgain, key: keys["submitter"])
            #expect(admitted.json["decision"] as? String == "admitted", "\(admitted.json)")
            #expect(try await queued(client, keys) == 2)
        }
    }

    /// Model lineage: a checkpoint trained on a subject who objects afterwards says so, and
    /// embeds no new image until a job trains without the subject's items.
    @Test(arguments: StoreBackend.available) func aCheckpointTrainedOnAnObjectorIsFlagged(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            for (index, photo) in ["china.jpg", "astronaut.jpg", "chelsea.png"].enumerated() {
                _ = try await ErasureAPITests.admit(client, photo, imageID: "a\(index)", subject: "objector")
            }
            for (index, photo) in ["coffee.webp", "camera-gray.jpg"].enumerated() {
                _ = try await ErasureAPITests.admit(client, photo, imageID: "b\(index)", subject: "bystander")
            }
            let parameters = #"{"epochs": 1, "batch_size": 2, "embedding_dim": 8, "seed": 2}"#
            let job = try await TrainingAPITests.submit(client, parameters)
            _ = try await TrainingAPITests.wait(client, job, until: TrainingAPITests.status("succeeded", "failed"))
            _ = try await client.postJSON("/v1/subjects/objector/objection?source=instagram", "")
            let lineage = try #require(try await TrainingAPITests.job(client, job)["lineage"] as? [String: Any])
            #expect(lineage["objected_items"] as? Int == 3 && lineage["erased_items"] as? Int == 0)
            #expect(lineage["usable_for_new_embeddings"] as? Bool == false)
            let image = Data(Bodies.image("progressive.jpg")).base64EncodedString()
            #expect(try await client.postJSON("/v1/embeddings/search", #"{"image_base64":"\#(image)"}"#).status == .conflict)

            let retrain = try await TrainingAPITests.submit(client, parameters)
            let retrained = try await TrainingAPITests.wait(client, retrain, until: TrainingAPITests.status("succeeded", "failed"))
            #expect(retrained["images"] as? Int == 2)
            #expect((retrained["lineage"] as? [String: Any])?["objected_items"] as? Int == 0)
            #expect(try await client.postJSON("/v1/embeddings/search", #"{"image_base64":"\#(image)"}"#).status == .ok)
        }
    }

    @Test(arguments: StoreBackend.available) func onlyDataProtectionOfficersMayRegisterOne(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            for role in ["submitter", "auditor", "trainer"] {
                let refused = try await client.postJSON("/v1/subjects/u/objection", "", key: keys[role])
                #expect(refused.status == .forbidden, "\(role)")
            }
            let anonymous = try await client.postJSON("/v1/subjects/u/objection", "", key: nil)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test(arguments: StoreBackend.available) func badSubjectsAndParametersAreNamed(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            let long = try await client.postJSON("/v1/subjects/\(String(repeating: "x", count: 257))/objection", "", key: keys["dpo"])
            #expect(long.status == .badRequest)
            #expect((long.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "subject_id")
            let twice = try await client.postJSON("/v1/subjects/u/objection?source=a&source=b", "", key: keys["dpo"])
            #expect((twice.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "source")
            let unknown = try await client.postJSON("/v1/subjects/u/objection?sauce=a", "", key: keys["dpo"])
            #expect((unknown.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "sauce")
        }
    }
}
