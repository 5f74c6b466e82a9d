import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresTesting
import Testing
import TraingateTesting

@testable import TraingateApp

/// An erasure racing with admissions of the same subject and with a training job running on
/// its items (issue 17, quality bar): afterwards no admission of the subject is admitted and
/// queued, the job's checkpoint embeds none of them and says it trained on erased data, every
/// re-post that started after the erasure answered is refused, and the chain verifies.
@Suite struct ErasureRaceTests {
    static let subjectPhotos = ["china.jpg", "astronaut.jpg", "chelsea.png", "coffee.webp", "camera-gray.jpg"]
    static let otherPhotos = ["progressive.jpg", "cmyk.jpg", "lossless-alpha.webp"]

    /// The re-posts' answers: admission id, decision, and whether the erasure had answered
    /// before the request was sent.
    actor Answers {
        var all: [(id: String, decision: String, afterErasure: Bool)] = []
        var erased = false

        func add(_ id: String, _ decision: String, afterErasure: Bool) { all.append((id, decision, afterErasure)) }
        func markErased() { erased = true }
    }

    @Test(arguments: StoreBackend.available) func anErasureRacingAdmissionsAndATrainingJobLeavesNothingOfTheSubjectAdmitted(_ backend: StoreBackend)
        async throws
    {
        try await TestApp.withClient(on: backend) { client, _ in
            var first: [String] = []
            for (index, photo) in Self.subjectPhotos.enumerated() {
                first.append(try await ErasureAPITests.admit(client, photo, imageID: "s-\(index)", subject: "racer"))
            }
            for (index, photo) in Self.otherPhotos.enumerated() {
                _ = try await ErasureAPITests.admit(client, photo, imageID: "o-\(index)", subject: "bystander")
            }
            // Many short steps, so that the erasure lands in the middle of the job.
            let job = try await TrainingAPITests.submit(
                client, #"{"epochs": 40, "batch_size": 2, "embedding_dim": 8, "image_size": 16, "seed": 11}"#)
            _ = try await TrainingAPITests.wait(client, job) { ($0["progress"] as? [String: Any])?["step"] as? Int ?? 0 >= 2 }

            let answers = Answers()
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Re-posts of the subject's photos, under the same image ids (new bodies) and new ones.
                group.addTask {
                    for round in 0..<6 {
                        for (index, photo) in Self.subjectPhotos.enumerated() {
                            let afterErasure = await answers.erased
                            let image = Data(Bodies.image(photo)).base64EncodedString()
                            let imageID = round % 2 == 0 ? "s-\(index)" : "s-\(index)-r\(round)"
                            // A body that differs from the first (a new decision, not an idempotent repeat).
                            let signals = round % 2 == 0 ? #","signals":{"upload_ip_country":"US"}"# : ""
                            let body =
                                #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"racer","account_country":"US"},"visibility":"public"\#(signals),"image_base64":"\#(image)"}"#
                            let response = try await client.postJSON("/v1/admissions", body)
                            if let id = response.json["admission_id"] as? String, let decision = response.json["decision"] as? String {
                                await answers.add(id, decision, afterErasure: afterErasure)
                            }
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(30))
                    let erasure = try await client.delete("/v1/subjects/racer?source=instagram")
                    #expect(erasure.status == .ok)
                    await answers.markErased()
                }
                try await group.waitForAll()
            }
            let reposts = await answers.all
            for answer in reposts where answer.afterErasure {
                #expect(answer.decision == "rejected", "a re-post sent after the erasure answered was \(answer.decision)")
            }
            let finished = try await TrainingAPITests.wait(client, job, until: TrainingAPITests.status("succeeded", "failed", "cancelled"))
            #expect(finished["status"] as? String == "succeeded", "\(finished)")
            #expect(((finished["lineage"] as? [String: Any])?["erased_items"] as? Int ?? 0) > 0, "\(finished)")

            // Every admission of the subject is erased or rejected, and none is queued or embedded.
            for id in first + reposts.map(\.id) {
                let admission = try await client.get("/v1/admissions/\(id)", key: nil).json
                let erased = admission["erased_at"] is String
                #expect(erased || admission["decision"] as? String == "rejected", "\(admission)")
                #expect(admission["queued"] as? Bool == false, "\(admission)")
                #expect(try await client.get("/v1/embeddings/\(id)", key: nil).status == .notFound)
            }
            #expect(try await client.get("/v1/audit/verify", key: nil).json["ok"] as? Bool == true)
        }
    }
}
