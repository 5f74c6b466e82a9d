import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import PostgresTesting
import Testing
import TraingateStore
import TraingateTesting

@testable import TraingateApp

/// `DELETE /v1/subjects/{subject_id}` (GDPR Art. 17): the receipt, what an erased admission
/// still shows, model lineage, the suppression list, and a repeat that finds nothing left.
@Suite struct ErasureAPITests {
    /// Admits `photo` for `subject` at instagram; returns the admission id.
    static func admit(_ client: any TestClientProtocol, _ photo: String, imageID: String, subject: String) async throws -> String {
        let image = Data(Bodies.image(photo)).base64EncodedString()
        let body =
            #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"\#(subject)","account_country":"US"},"visibility":"public","image_base64":"\#(image)"}"#
        let response = try await client.postJSON("/v1/admissions", body)
        #expect(response.json["decision"] as? String == "admitted", "\(response.json)")
        return try #require(response.json["admission_id"] as? String)
    }

    private static func reasonCodes(_ json: [String: Any]) -> [String] {
        (json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    @Test(arguments: StoreBackend.available) func anErasureRemovesEveryCopyFlagsTheModelsAndSuppressesTheContent(_ backend: StoreBackend) async throws
    {
        try await TestApp.withClient(on: backend) { client, traingate in
            // user-1: four photos; user-2: two, one of them the same content as user-1's first.
            var mine: [String] = []
            for (index, photo) in ["china.jpg", "astronaut.jpg", "chelsea.png", "coffee.webp"].enumerated() {
                mine.append(try await Self.admit(client, photo, imageID: "u1-\(index)", subject: "user-1"))
            }
            let theirs = [
                try await Self.admit(client, "china.jpg", imageID: "u2-0", subject: "user-2"),
                try await Self.admit(client, "camera-gray.jpg", imageID: "u2-1", subject: "user-2"),
            ]
            let jobID = try await TrainingAPITests.submit(client, #"{"epochs": 1, "batch_size": 2, "embedding_dim": 8, "seed": 3}"#)
            let trained = try await TrainingAPITests.wait(client, jobID, until: TrainingAPITests.status("succeeded", "failed"))
            #expect(trained["status"] as? String == "succeeded", "\(trained)")
            let checkpoint = try #require(trained["checkpoint_id"] as? String)
            #expect((trained["lineage"] as? [String: Any])?["usable_for_new_embeddings"] as? Bool == true)

            let erasure = try await client.delete("/v1/subjects/user-1?source=instagram")
            #expect(erasure.status == .ok)
            let removed = try #require(erasure.json["removed"] as? [String: Any])
            #expect(removed["admissions"] as? Int == 4 && removed["queue_items"] as? Int == 4 && removed["embeddings"] as? Int == 4)
            #expect(removed["images"] as? Int == 3, "the copy user-2 also holds stays")
            #expect(erasure.json["shared_images_kept"] as? Int == 1)
            #expect(erasure.json["tainted_checkpoints"] as? [String] == [checkpoint])
            #expect(erasure.json["nothing_left"] as? Bool == false)
            #expect((erasure.json["erasure_id"] as? String)?.hasPrefix("era_") == true)

            // The erased decision keeps its verdict, codes and audit link, and nothing personal.
            let erased = try await client.get("/v1/admissions/\(mine[1])", key: nil).json
            #expect(erased["decision"] as? String == "admitted" && erased["queued"] as? Bool == false)
            #expect(erased["erased_at"] is String && erased["image"] is NSNull)
            #expect(erased["image_id"] as? String == "erased:\(mine[1])")
            #expect(erased["jurisdictions"] as? [String] == [] && (erased["signals"] as? [Any])?.isEmpty == true)
            #expect((erased["reasons"] as? [[String: Any]])?.allSatisfy { $0["message"] as? String == SubjectErasure.erasedMessage } == true)

            // Only user-2's items are left for training; the model says what it was trained on.
            #expect(
                try await traingate.texts("SELECT admission_id FROM queue_item").sorted()
                    == theirs.sorted())
            // The copy user-1's admission stored, which user-2's holds too, still serves (on
            // PostgreSQL it was sealed under user-1's key, and is sealed again under user-2's).
            let shared = try await client.get("/v1/training/images/\(theirs[0])", key: nil)
            #expect(shared.status == .ok && shared.body.readableBytes > 1000, "\(shared.status)")
            let flagged = try await TrainingAPITests.job(client, jobID)
            let lineage = try #require(flagged["lineage"] as? [String: Any])
            #expect(lineage["erased_items"] as? Int == 4 && lineage["usable_for_new_embeddings"] as? Bool == false)
            #expect(try await client.get("/v1/embeddings/\(mine[0])", key: nil).status == .notFound)
            let neighbours = try await client.postJSON("/v1/embeddings/search", #"{"admission_id":"\#(theirs[1])","k":10}"#)
            #expect((neighbours.json["neighbors"] as? [[String: Any]])?.compactMap { $0["admission_id"] as? String } == [theirs[0]])
            let image = Data(Bodies.image("progressive.jpg")).base64EncodedString()
            let newEmbedding = try await client.postJSON("/v1/embeddings/search", #"{"image_base64":"\#(image)"}"#)
            #expect(newEmbedding.status == .conflict, "a flagged checkpoint embeds no new image")

            // The same photo, from anyone, is now refused; a new photo of the subject is not.
            let again = try await client.postJSON(
                "/v1/admissions",
                #"{"image_id":"x","source":"instagram","subject":{"id":"user-3","account_country":"US"},"visibility":"public","image_base64":"\#(Data(Bodies.image("astronaut.jpg")).base64EncodedString())"}"#
            )
            #expect(again.json["decision"] as? String == "rejected" && Self.reasonCodes(again.json).contains("ERASED_CONTENT"), "\(again.json)")
            _ = try await Self.admit(client, "progressive.jpg", imageID: "u1-new", subject: "user-1")

            // Training again makes a checkpoint without the erased data, which embeds again.
            let retrain = try await TrainingAPITests.submit(client, #"{"epochs": 1, "batch_size": 2, "embedding_dim": 8, "seed": 3}"#)
            let retrained = try await TrainingAPITests.wait(client, retrain, until: TrainingAPITests.status("succeeded", "failed"))
            #expect((retrained["lineage"] as? [String: Any])?["usable_for_new_embeddings"] as? Bool == true, "\(retrained)")
            #expect(try await client.postJSON("/v1/embeddings/search", #"{"image_base64":"\#(image)"}"#).status == .ok)

            // The audit entry counts, and never names the subject; the chain verifies.
            let seq = try #require((erasure.json["audit"] as? [String: Any])?["seq"] as? Int)
            let entries = try await client.get("/v1/audit?kind=erasure", key: nil)
            let entry = try #require((entries.json["entries"] as? [[String: Any]])?.first { $0["seq"] as? Int == seq })
            #expect(((entry["details"] as? [String: Any])?["removed"] as? [String: Any])?["admissions"] as? Int == 4)
            #expect(entry["subject_ref"] is NSNull && !String(buffer: entries.body).contains("user-1"))
            #expect(try await client.get("/v1/audit/verify", key: nil).json["ok"] as? Bool == true)
        }
    }

    @Test(arguments: StoreBackend.available) func aRepeatedErasureSaysNothingWasLeft(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            _ = try await Self.admit(client, "china.jpg", imageID: "a", subject: "user-9")
            #expect(try await client.delete("/v1/subjects/user-9?source=instagram").json["nothing_left"] as? Bool == false)
            let again = try await client.delete("/v1/subjects/user-9?source=instagram")
            #expect(again.status == .ok && again.json["nothing_left"] as? Bool == true)
            let removed = try #require(again.json["removed"] as? [String: Any])
            #expect(removed.values.allSatisfy { $0 as? Int == 0 }, "\(removed)")
            // An id never seen is answered the same way: nothing of it is held.
            #expect(try await client.delete("/v1/subjects/nobody").json["nothing_left"] as? Bool == true)
        }
    }

    @Test(arguments: StoreBackend.available) func onlyDataProtectionOfficersMayErase(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, _, keys in
            for role in ["submitter", "auditor", "trainer"] {
                #expect(try await client.delete("/v1/subjects/u", key: keys[role]).status == .forbidden, "\(role)")
            }
            #expect(try await client.delete("/v1/subjects/u", key: nil).status == .unauthorized)
            #expect(try await client.delete("/v1/subjects/u", key: keys["dpo"]).status == .ok)
            let long = try await client.delete("/v1/subjects/\(String(repeating: "x", count: 257))", key: keys["dpo"])
            #expect((long.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "subject_id")
        }
    }
}
