import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import StrictDocuments
import PostgresTesting
import Testing
import TraingateStore
@testable import TraingateApp
import TraingateTesting

/// Training jobs and embeddings through the HTTP API, on the real worker thread and SQLite.
@Suite struct TrainingAPITests {
    /// Real photos from the image fixtures, all lawful to train on (American accounts, no EU signal).
    static let photos = [
        "china.jpg", "astronaut.jpg", "chelsea.png", "coffee.webp", "camera-gray.jpg", "progressive.jpg", "cmyk.jpg",
        "lossless-alpha.webp",
    ]

    /// Admits the photos; returns their admission ids in the same order.
    static func admit(_ client: any TestClientProtocol, _ names: [String] = photos) async throws -> [String] {
        var ids: [String] = []
        for name in names {
            let image = Data(Bodies.image(name)).base64EncodedString()
            let response = try await client.postJSON(
                "/v1/admissions", Bodies.admission(imageID: name, extra: #","image_base64":"\#(image)""#))
            #expect(response.status == .created && response.json["decision"] as? String == "admitted", "\(name)")
            ids.append(try #require(response.json["admission_id"] as? String))
        }
        return ids
    }

    static func submit(_ client: any TestClientProtocol, _ parameters: String) async throws -> String {
        let response = try await client.postJSON("/v1/training/jobs", parameters)
        #expect(response.status == .accepted, "\(String(buffer: response.body))")
        #expect(response.json["status"] as? String == "queued")
        let id = try #require(response.json["job_id"] as? String)
        #expect(response.headers[.location] == "/v1/training/jobs/\(id)")
        return id
    }

    static func job(_ client: any TestClientProtocol, _ id: String) async throws -> [String: Any] {
        try await client.execute(uri: "/v1/training/jobs/\(id)", method: .get).json
    }

    /// Polls until the job is in one of `statuses` (or `condition` holds), for up to two minutes.
    @discardableResult
    static func wait(
        _ client: any TestClientProtocol, _ id: String, until condition: @Sendable ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let job = try await job(client, id)
            if condition(job) { return job }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("job \(id) never reached the condition: \(try await job(client, id))")
        return try await job(client, id)
    }

    static func status(_ statuses: String...) -> @Sendable ([String: Any]) -> Bool {
        { statuses.contains($0["status"] as? String ?? "") }
    }

    static func trainingAuditEvents(_ client: any TestClientProtocol, job: String) async throws -> [String] {
        let entries = try await client.execute(uri: "/v1/audit?kind=training_job&limit=1000", method: .get).json["entries"] as? [[String: Any]] ?? []
        return entries.compactMap { $0["details"] as? [String: Any] }.filter { $0["job_id"] as? String == job }.compactMap { $0["event"] as? String }
    }

    @Test(arguments: StoreBackend.available) func aJobTrainsOnTheQueueAndEveryImageGetsAUnitEmbedding(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let ids = try await Self.admit(client)
            let id = try await Self.submit(client, #"{"epochs": 2, "batch_size": 4, "embedding_dim": 16, "objective": "simclr", "seed": 7}"#)
            let job = try await Self.wait(client, id, until: Self.status("succeeded", "failed", "cancelled"))
            #expect(job["status"] as? String == "succeeded", "\(job)")
            #expect(job["images"] as? Int == ids.count)
            let progress = try #require(job["progress"] as? [String: Any])
            #expect(progress["epoch"] as? Int == 2 && progress["step"] as? Int == 4 && progress["total_steps"] as? Int == 4)
            #expect((progress["loss"] as? Double).map { $0.isFinite && $0 > 0 } == true)
            #expect(job["started_at"] is String && job["finished_at"] is String && job["error"] is NSNull)
            let checkpoint = try #require(job["checkpoint_id"] as? String)
            #expect((job["parameters"] as? [String: Any])?["learning_rate"] as? Double == 0.1)

            for admission in ids {
                let embedding = try await client.execute(uri: "/v1/embeddings/\(admission)", method: .get)
                #expect(embedding.status == .ok)
                #expect(embedding.json["checkpoint_id"] as? String == checkpoint)
                let vector = try #require(embedding.json["vector"] as? [Double])
                #expect(vector.count == 16)
                #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
            }
            #expect(try await Self.trainingAuditEvents(client, job: id) == ["started", "succeeded"])
            let list = try await client.execute(uri: "/v1/training/jobs", method: .get).json["jobs"] as? [[String: Any]]
            #expect(list?.map { $0["job_id"] as? String } == [id])
            #expect(try await client.execute(uri: "/v1/audit/verify", method: .get).json["ok"] as? Bool == true)

            // A later rejection takes the image's embedding with it; the lineage keeps that it trained the model.
            let image = Data(Bodies.image(Self.photos[0])).base64EncodedString()
            _ = try await client.postJSON(
                "/v1/admissions", Bodies.admission(imageID: Self.photos[0], country: "FR", extra: #","image_base64":"\#(image)""#))
            #expect(try await traingate.count("SELECT count(*) FROM embedding WHERE admission_id = '\(ids[0])'") == 0)
            #expect(try await traingate.count("SELECT count(*) FROM checkpoint_lineage WHERE admission_id = '\(ids[0])'") == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func epochsZeroEmbedsEveryQueuedImageWithTheUntrainedEncoder(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let ids = try await Self.admit(client, Array(Self.photos.prefix(3)))
            let id = try await Self.submit(client, #"{"epochs": 0}"#)
            let job = try await Self.wait(client, id, until: Self.status("succeeded", "failed"))
            #expect(job["status"] as? String == "succeeded" && job["images"] as? Int == 3, "\(job)")
            #expect(try await traingate.texts("SELECT admission_id FROM checkpoint_lineage ORDER BY admission_id") == ids.sorted())
            #expect(try await traingate.texts("SELECT epochs FROM checkpoint_lineage") == ["0", "0", "0"])
            #expect(try await traingate.texts("SELECT policy_version FROM checkpoint_lineage").allSatisfy { $0.hasPrefix("sha256:") })
            let vector = try await client.execute(uri: "/v1/embeddings/\(ids[0])", method: .get).json["vector"] as? [Double]
            #expect(vector?.count == 64)
        }
    }

    /// `training.max_images`: a job takes the oldest images of the queue, no more.
    @Test(arguments: StoreBackend.available) func aJobTakesAtMostMaxImagesOldestFirst(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, { $0.trainingMaxImages = 2 }) { client, traingate in
            let ids = try await Self.admit(client, Array(Self.photos.prefix(3)))
            let id = try await Self.submit(client, #"{"epochs": 0}"#)
            let job = try await Self.wait(client, id, until: Self.status("succeeded", "failed"))
            #expect(job["status"] as? String == "succeeded" && job["images"] as? Int == 2)
            let lineage = try await traingate.texts("SELECT admission_id FROM checkpoint_lineage ORDER BY admission_id")
            #expect(lineage == Array(ids.prefix(2)).sorted())
        }
    }

    @Test(arguments: StoreBackend.available) func jobsRunOneAtATimeInTheOrderTheyWereSubmitted(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            _ = try await Self.admit(client, Array(Self.photos.prefix(4)))
            let first = try await Self.submit(client, #"{"epochs": 3, "batch_size": 2, "embedding_dim": 8}"#)
            let second = try await Self.submit(client, #"{"epochs": 1, "batch_size": 2, "embedding_dim": 8}"#)
            let done = try await Self.wait(client, second, until: Self.status("succeeded", "failed"))
            let earlier = try await Self.job(client, first)
            #expect(earlier["status"] as? String == "succeeded" && done["status"] as? String == "succeeded")
            // The second started only after the first finished.
            let firstEnd = try #require(earlier["finished_at"] as? String), secondStart = try #require(done["started_at"] as? String)
            #expect(firstEnd <= secondStart)
            // Embeddings come from the newest checkpoint only; an image admitted after it has none yet.
            let queued = try await Self.admit(client, [Self.photos[5]])
            let newest = try #require(done["checkpoint_id"] as? String)
            #expect(earlier["checkpoint_id"] as? String != newest)
            let ids = try await traingate.texts("SELECT admission_id FROM queue_item")
            for id in ids where id != queued[0] {
                #expect(try await client.execute(uri: "/v1/embeddings/\(id)", method: .get).json["checkpoint_id"] as? String == newest)
            }
            #expect(try await client.execute(uri: "/v1/embeddings/\(queued[0])", method: .get).status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.available) func badParametersAreAllNamedInOneAnswer(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.postJSON(
                "/v1/training/jobs",
                #"{"epochs": -1, "batch_size": 1.5, "embedding_dim": 30, "image_size": 30, "objective": "byol", "learning_rate": 0, "shards": 2, "colour": 1, "augmentations": {"flip_probability": 2, "blur": true}}"#
            )
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            let fields = Set((response.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(
                fields == [
                    "epochs", "batch_size", "embedding_dim", "image_size", "objective", "learning_rate", "shards", "colour",
                    "augmentations.flip_probability", "augmentations.blur",
                ])
            let huge = try await client.postJSON("/v1/training/jobs", #"{"batch_size": 512, "image_size": 128}"#)
            #expect((huge.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "batch_size")
            #expect(try await client.postJSON("/v1/training/jobs", #"{"batch_size": 1024, "image_size": 32}"#).status == .accepted)
            #expect(try await client.postJSON("/v1/training/jobs", "[1]").status == .badRequest)
            #expect(try await client.postJSON("/v1/training/jobs", "{").status == .badRequest)
            let text = try await client.execute(
                uri: "/v1/training/jobs", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "{}"))
            #expect(text.status == .unsupportedMediaType)
            let tooLarge = try await client.postJSON("/v1/training/jobs", #"{"objective": "\#(String(repeating: "x", count: 70_000))"}"#)
            #expect(tooLarge.status == .contentTooLarge)
            // Nothing else was queued by any of them.
            #expect((try await client.execute(uri: "/v1/training/jobs", method: .get).json["jobs"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func anEmptyBodyQueuesTheDefaultsAndAnEmptyQueueFailsTheJobClearly(_ backend: StoreBackend) async throws
    {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.execute(uri: "/v1/training/jobs", method: .post)
            #expect(response.status == .accepted)
            let parameters = response.json["parameters"] as? [String: Any]
            #expect(parameters?["epochs"] as? Int == 5 && parameters?["objective"] as? String == "swav")
            #expect(parameters?["batch_size"] as? Int == 64 && parameters?["embedding_dim"] as? Int == 64 && parameters?["image_size"] as? Int == 32)
            #expect(parameters?["temperature"] as? Double == 0.2 && parameters?["prototypes"] as? Int == 64)
            #expect((parameters?["augmentations"] as? [String: Any])?["flip_probability"] as? Double == 0.5)
            let simclr = try await client.postJSON("/v1/training/jobs", #"{"objective": "simclr", "augmentations": {"flip_probability": 0}}"#)
            let simclrParameters = simclr.json["parameters"] as? [String: Any]
            #expect(simclrParameters?["temperature"] as? Double == 0.5)
            #expect((simclrParameters?["augmentations"] as? [String: Any])?["flip_probability"] as? Double == 0)
            #expect((simclrParameters?["augmentations"] as? [String: Any])?["crop_scale_min"] as? Double == 0.3)
            let id = try #require(response.json["job_id"] as? String)
            let job = try await Self.wait(client, id, until: Self.status("failed", "succeeded"))
            #expect(job["status"] as? String == "failed")
            #expect((job["error"] as? String)?.contains("no admitted images") == true)
            #expect(try await Self.trainingAuditEvents(client, job: id) == ["started", "failed"])
            let second = try #require(simclr.json["job_id"] as? String)
            try await Self.wait(client, second, until: Self.status("failed", "succeeded"))
        }
    }

    @Test(arguments: StoreBackend.available) func cancellingAQueuedJobEndsItAndARunningOneStopsAtAStep(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            _ = try await Self.admit(client, Array(Self.photos.prefix(4)))
            let long = try await Self.submit(client, #"{"epochs": 1000, "batch_size": 2, "embedding_dim": 8}"#)
            let queued = try await Self.submit(client, #"{"epochs": 1}"#)
            try await Self.wait(client, long) { ($0["progress"] as? [String: Any])?["step"] as? Int ?? 0 >= 3 }

            let cancelQueued = try await client.execute(uri: "/v1/training/jobs/\(queued)/cancel", method: .post)
            #expect(cancelQueued.status == .accepted && cancelQueued.json["status"] as? String == "cancelled")
            let again = try await client.execute(uri: "/v1/training/jobs/\(queued)/cancel", method: .post)
            #expect(again.status == .conflict && again.headers[.contentType] == "application/problem+json")
            #expect(try await client.execute(uri: "/v1/training/jobs/job_nope/cancel", method: .post).status == .notFound)

            let cancelRunning = try await client.execute(uri: "/v1/training/jobs/\(long)/cancel", method: .post)
            #expect(cancelRunning.status == .accepted)
            let stopped = try await Self.wait(client, long, until: Self.status("cancelled", "succeeded", "failed"))
            #expect(stopped["status"] as? String == "cancelled" && stopped["checkpoint_id"] is NSNull)
            let progress = try #require(stopped["progress"] as? [String: Any])
            #expect((progress["step"] as? Int ?? 0) < (progress["total_steps"] as? Int ?? 0))
            #expect((stopped["error"] as? String)?.hasPrefix("cancelled at step") == true)
            #expect(try await Self.trainingAuditEvents(client, job: long) == ["started", "cancelled"])
            #expect(try await Self.trainingAuditEvents(client, job: queued) == ["cancelled"])
            // Nothing of the cancelled job is served: there is still no checkpoint at all.
            let search = try await client.postJSON("/v1/embeddings/search", #"{"admission_id": "x"}"#)
            #expect(search.status == .notFound && (search.json["detail"] as? String)?.hasPrefix("No checkpoint yet") == true)
        }
    }

    /// The re-check before each epoch: an admission superseded by a rejection while the job runs
    /// trains no further epoch, gets no embedding, and stays in the lineage (it did train the model).
    @Test(arguments: StoreBackend.available) func anImageRejectedDuringTheJobLeavesItBeforeTheNextEpoch(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let ids = try await Self.admit(client, Array(Self.photos.prefix(4)))
            let id = try await Self.submit(client, #"{"epochs": 300, "batch_size": 2, "embedding_dim": 8}"#)
            try await Self.wait(client, id) { ($0["progress"] as? [String: Any])?["epoch"] as? Int ?? 0 >= 2 }
            // The same image, now from an account in France without consent: rejected, it leaves the queue.
            let image = Data(Bodies.image(Self.photos[0])).base64EncodedString()
            let rejection = try await client.postJSON(
                "/v1/admissions", Bodies.admission(imageID: Self.photos[0], country: "FR", extra: #","image_base64":"\#(image)""#))
            #expect(rejection.json["decision"] as? String == "rejected")
            let job = try await Self.wait(client, id, until: Self.status("succeeded", "failed", "cancelled"))
            #expect(job["status"] as? String == "succeeded", "\(job)")
            #expect((job["progress"] as? [String: Any])?["epoch"] as? Int == 300, "the job finished before the rejection")
            #expect(job["images"] as? Int == 4)
            let lineage = try await traingate.texts("SELECT admission_id || ' ' || epochs FROM checkpoint_lineage")
            let epochs = Dictionary(
                uniqueKeysWithValues: lineage.map { ($0.split(separator: " ").map(String.init)[0], Int($0.split(separator: " ")[1])!) })
            #expect(epochs[ids[0]].map { $0 >= 1 && $0 < 300 } == true, "\(epochs)")
            // Epochs count only batches that trained: with three images left and batches of two,
            // one image sits out each later epoch, so none of them reaches all 300.
            #expect(ids.dropFirst().allSatisfy { (1..<300).contains(epochs[$0] ?? 0) }, "\(epochs)")
            #expect(try await client.execute(uri: "/v1/embeddings/\(ids[0])", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/v1/embeddings/\(ids[1])", method: .get).status == .ok)
            let stored = try await traingate.texts("SELECT admission_id FROM embedding")
            #expect(Set(stored) == Set(ids.dropFirst()), "no vector was even written for the rejected image")
        }
    }

    @Test(arguments: StoreBackend.available) func searchFindsTheSamePictureFirstByAdmissionAndByUpload(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            #expect(try await client.postJSON("/v1/embeddings/search", #"{"admission_id": "adm_x"}"#).status == .notFound)
            let ids = try await Self.admit(client)
            let id = try await Self.submit(client, #"{"epochs": 0, "embedding_dim": 32}"#)
            try await Self.wait(client, id, until: Self.status("succeeded", "failed"))

            let byAdmission = try await client.postJSON("/v1/embeddings/search", #"{"admission_id": "\#(ids[1])", "k": 3}"#)
            #expect(byAdmission.status == .ok)
            let neighbors = try #require(byAdmission.json["neighbors"] as? [[String: Any]])
            let scores = neighbors.compactMap { $0["score"] as? Double }
            #expect(neighbors.count == 3 && scores == scores.sorted(by: >) && scores.allSatisfy { $0 <= 1.0001 })
            #expect(!neighbors.contains { $0["admission_id"] as? String == ids[1] })

            // gps-paris.jpg is china.jpg resized and re-encoded: the admitted china is its nearest neighbour.
            let upload = Data(Bodies.image("gps-paris.jpg")).base64EncodedString()
            let byImage = try await client.postJSON("/v1/embeddings/search", #"{"image_base64": "\#(upload)", "k": 1}"#)
            let best = try #require((byImage.json["neighbors"] as? [[String: Any]])?.first)
            #expect(best["admission_id"] as? String == ids[0])
            #expect((best["score"] as? Double ?? 0) > 0.95)

            let bad = try await client.postJSON("/v1/embeddings/search", #"{"admission_id": "a", "image_base64": "AAAA", "k": 0}"#)
            #expect(bad.status == .badRequest)
            let notImage = try await client.postJSON("/v1/embeddings/search", #"{"image_base64": "\#(Data("hello".utf8).base64EncodedString())"}"#)
            #expect(notImage.status == .unsupportedMediaType)
        }
    }

    /// A graceful shutdown stops the running job at a step boundary and records it failed, with
    /// the reason; a job found `running` at the next start (the process died) is failed too.
    @Test func shutdownAndRestartLeaveNoJobRunning() async throws {
        let (traingate, directory) = try TestApp.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let box = JobBox()
        try await traingate.application.test(.router) { client in
            _ = try await Self.admit(client, Array(Self.photos.prefix(4)))
            let id = try await Self.submit(client, #"{"epochs": 1000, "batch_size": 2, "embedding_dim": 8}"#)
            try await Self.wait(client, id) { ($0["progress"] as? [String: Any])?["step"] as? Int ?? 0 >= 2 }
            box.id = id
        }  // leaving the test triggers a graceful shutdown of every service
        let database = try AppDatabase.open(directory: directory)
        let stoppedID = try #require(box.id)
        let stopped = try #require(try await TrainingStore(database: database).job(stoppedID))
        #expect(stopped.status == .failed && stopped.checkpointID == nil)
        #expect(stopped.error?.contains("the service shut down") == true, "\(stopped.error ?? "")")

        // A process that dies mid-job leaves the row `running`: the next start fails it.
        let store = TrainingStore(database: database)
        let orphan = try await store.submit(parameters: .object([:]), at: Timestamp.parse("2026-11-28T12:00:00Z")!)
        #expect(try await store.startNext(at: Timestamp.parse("2026-11-28T12:00:01Z")!)?.id == orphan.id)
        try database.close()
        let (restarted, _) = try TestApp.make { $0.dataDirectory = directory.path }
        let failed = try #require(try await TrainingStore(database: restarted.database).job(orphan.id))
        #expect(failed.status == .failed && failed.error?.contains("stopped while this job was running") == true)
        let events = try await restarted.database.writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT json_extract(details, '$.event') FROM audit_entry WHERE json_extract(details, '$.job_id') = ?",
                arguments: [orphan.id])
        }
        #expect(events == ["started", "failed"])
        #expect(try await AuditStore(database: restarted.database).verify().ok)
        try restarted.database.close()
    }
}

/// Carries a value out of a `@Sendable` test closure.
final class JobBox: @unchecked Sendable {
    var id: String?
}
