import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import StrictDocuments
import PostgresTesting
import Testing
@testable import TraingateApp
import TraingateTesting

/// What external trainers read: the manifest of admissible items, their stored copies, and the
/// recheck that tells them what to drop, through the real application on SQLite.
@Suite struct FeedingAPITests {
    /// An admission of `subject`'s photo `imageID` (with a real JPEG unless `image` is false).
    static func admit(
        _ client: any TestClientProtocol, _ imageID: String, subject: String, country: String = "US", image: Bool = true,
        photo: String = "china.jpg", extra: String = ""
    ) async throws -> [String: Any] {
        let bytes = image ? #","image_base64":"\#(Data(Bodies.image(photo)).base64EncodedString())""# : ""
        let body =
            #"{"image_id":"\#(imageID)","source":"instagram","subject":{"id":"\#(subject)","account_country":"\#(country)"},"visibility":"public"\#(bytes)\#(extra)}"#
        return try await client.postJSON("/v1/admissions", body).json
    }

    static func manifest(_ client: any TestClientProtocol, _ query: String = "") async throws -> [[String: Any]] {
        let response = try await client.execute(uri: "/v1/training/manifest\(query)", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/jsonl; charset=utf-8")
        return String(buffer: response.body).split(separator: "\n").map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
        }
    }

    @Test(arguments: StoreBackend.available) func theManifestListsAdmissibleItemsInOrderAndResumesByCursor(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            var queued: [String] = []
            for index in 1...3 {
                queued.append(try #require(try await Self.admit(client, "m\(index)", subject: "s\(index)")["admission_id"] as? String))
            }
            _ = try await Self.admit(client, "no-image", subject: "s4", image: false)
            _ = try await Self.admit(client, "rejected", subject: "s5", country: "FR")
            let lines = try await Self.manifest(client)
            #expect(lines.map { $0["admission_id"] as? String } == queued)
            let first = lines[0]
            #expect(first["image_url"] as? String == "/v1/training/images/\(queued[0])")
            #expect((first["sha256"] as? String)?.count == 64)
            #expect((first["policy_version"] as? String)?.hasPrefix("sha256:") == true)
            #expect(first["shard"] as? Int == 0)
            // Resuming after the first line's cursor gives the rest; a limit stops early.
            let cursor = try #require(first["cursor"] as? Int)
            #expect(try await Self.manifest(client, "?after=\(cursor)").map { $0["admission_id"] as? String } == Array(queued.dropFirst()))
            #expect(try await Self.manifest(client, "?limit=1").count == 1)
            // Shards split the items between ranks, each item in exactly one.
            let sharded = try await Self.manifest(client, "?shards=2")
            var byShard: [String] = []
            for shard in 0..<2 {
                let part = try await Self.manifest(client, "?shards=2&shard=\(shard)")
                #expect(part.allSatisfy { $0["shard"] as? Int == shard })
                byShard += part.compactMap { $0["admission_id"] as? String }
            }
            #expect(Set(byShard) == Set(queued) && byShard.count == sharded.count)
        }
    }

    /// The manifest's `subject_ref` groups a subject's items, is the pseudonym of their audit
    /// entries (keyed by the subject's own key), and changes once an erasure destroyed that key.
    @Test(arguments: StoreBackend.available) func theManifestNamesSubjectsByTheirAuditPseudonym(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            for (imageID, subject) in [("a1", "alice"), ("a2", "alice"), ("b1", "bob")] {
                _ = try await Self.admit(client, imageID, subject: subject)
            }
            let refs = try await Self.manifest(client).map { $0["subject_ref"] as? String }
            #expect(refs.count == 3 && refs[0] == refs[1] && refs[0] != refs[2])
            let audit = try #require(try await client.get("/v1/audit?kind=decision", key: nil).json["entries"] as? [[String: Any]])
            #expect(audit.map { $0["subject_ref"] as? String } == refs)
            #expect(try await client.delete("/v1/subjects/alice?source=instagram").status == .ok)
            _ = try await Self.admit(client, "a3", subject: "alice", photo: "astronaut.jpg")
            let after = try await Self.manifest(client).map { $0["subject_ref"] as? String }
            #expect(after.count == 2 && after[0] == refs[2] && after[1] != refs[0] && after[1]?.count == 64)
        }
    }

    @Test(arguments: StoreBackend.available) func badManifestParametersAreNamed(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            for (query, field) in [("?shards=2&shard=2", "shard"), ("?limit=0", "limit"), ("?after=x", "after"), ("?page=1", "page")] {
                let response = try await client.execute(uri: "/v1/training/manifest\(query)", method: .get)
                #expect(response.status == .badRequest, "\(query)")
                #expect((response.json["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(query)")
            }
        }
    }

    /// The stored copy is served while the item is admissible, and not once its subject objects.
    @Test(arguments: StoreBackend.available) func storedCopiesAreServedOnlyWhileAdmissible(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let id = try #require(try await Self.admit(client, "img", subject: "objector")["admission_id"] as? String)
            let line = try #require(try await Self.manifest(client).first)
            let image = try await client.execute(uri: try #require(line["image_url"] as? String), method: .get)
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/jpeg")
            // The minimised copy, not the photo as sent (whose hash `sha256` is).
            #expect(Array(Data(buffer: image.body).prefix(2)) == [0xFF, 0xD8])
            let sent = SHA256.hash(data: Bodies.image("china.jpg")).map { String(format: "%02x", $0) }.joined()
            #expect(line["sha256"] as? String == sent)
            #expect(try await client.postJSON("/v1/subjects/objector/objection?source=instagram", "").status == .ok)
            #expect(try await client.execute(uri: "/v1/training/images/\(id)", method: .get).status == .notFound)
            #expect(try await Self.manifest(client).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available) func aRecheckSaysWhichItemsAreStillAdmissibleAndWhyNot(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            func id(_ answer: [String: Any]) throws -> String { try #require(answer["admission_id"] as? String) }
            let kept = try id(try await Self.admit(client, "kept", subject: "a"))
            let rejected = try id(try await Self.admit(client, "rej", subject: "b", country: "FR"))
            let noImage = try id(try await Self.admit(client, "bare", subject: "c", image: false))
            let replaced = try id(try await Self.admit(client, "again", subject: "d"))
            _ = try await Self.admit(client, "again", subject: "d", country: "FR")
            let objected = try id(try await Self.admit(client, "obj", subject: "e"))
            #expect(try await client.postJSON("/v1/subjects/e/objection?source=instagram", "").status == .ok)
            // Another photo: an erasure suppresses its content, and near copies of it, for good.
            let erased = try id(try await Self.admit(client, "gone", subject: "f", photo: "astronaut.jpg"))
            #expect(try await client.delete("/v1/subjects/f?source=instagram").status == .ok)
            let consent = #","lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-01-01T00:00:00Z"}"#
            let withdrawnItem = try id(try await Self.admit(client, "consented", subject: "g", extra: consent))
            let withdrawal =
                #","lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-01-01T00:00:00Z","withdrawn_at":"2026-02-01T00:00:00Z"}"#
            _ = try await Self.admit(client, "withdrawal", subject: "g", image: false, extra: withdrawal)

            let asked = [kept, rejected, noImage, replaced, objected, erased, withdrawnItem, "adm_unknown", kept]
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["admission_ids": asked]), as: UTF8.self)
            let response = try await client.postJSON("/v1/admissions/recheck", body)
            #expect(response.status == .ok)
            let results = try #require(response.json["results"] as? [[String: Any]])
            #expect(results.map { $0["admission_id"] as? String } == asked, "one answer per id, in the order asked")
            #expect(
                results.map { $0["reason"] as? String } == [
                    "queued", "rejected", "no_image", "superseded", "objected", "erased", "consent_withdrawn", "not_found", "queued",
                ])
            #expect(results.map { $0["admissible"] as? Bool } == [true, false, false, false, false, false, false, false, true])
        }
    }

    @Test(arguments: StoreBackend.available) func aBadRecheckIsRefusedNamingTheField(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let full = #"{"admission_ids":[\#(Array(repeating: "\"adm_x\"", count: 10_000).joined(separator: ","))]}"#
            #expect((try await client.postJSON("/v1/admissions/recheck", full).json["results"] as? [Any])?.count == 10_000)
            let tooMany = #"{"admission_ids":[\#(Array(repeating: "\"adm_x\"", count: 10_001).joined(separator: ","))]}"#
            for (body, field) in [
                (#"{"admission_ids":[]}"#, "admission_ids"), (tooMany, "admission_ids"), (#"{"admission_ids":["a",7]}"#, "admission_ids[1]"),
                (#"{"ids":["a"]}"#, "ids"), (#"{}"#, "admission_ids"),
            ] {
                let response = try await client.postJSON("/v1/admissions/recheck", body)
                #expect(response.status == .badRequest, "\(body.prefix(40))")
                let fields = (response.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(fields.contains(field), "\(body.prefix(40)): \(fields)")
            }
        }
    }
}
