import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import PolicyEngine
import Crypto
import StrictDocuments
import PostgresTesting
import Testing
@testable import TraingateApp
import TraingateTesting

@Suite struct AdmissionAPITests {
    @Test(arguments: StoreBackend.available) func aPublicNonEUPhotoIsAdmittedQueuedAndAudited(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let image = Data(Bodies.jpeg).base64EncodedString()
            let response = try await client.postJSON(
                "/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(image)""#))
            #expect(response.status == .created)
            let body = response.json
            let id = try #require(body["admission_id"] as? String)
            #expect(response.headers[.location] == "/v1/admissions/\(id)")
            #expect(body["decision"] as? String == "admitted")
            #expect(body["queued"] as? Bool == true)
            #expect((body["reasons"] as? [Any])?.isEmpty == true)
            #expect((body["policy"] as? [String: Any])?["version"] as? String == DefaultPolicy.policy.version)
            let audit = try #require(body["audit"] as? [String: Any])
            #expect(audit["seq"] as? Int == 2)  // seq 1: the policy in force, recorded at start-up
            #expect((audit["hash"] as? String)?.count == 64)
            #expect((body["image"] as? [String: Any])?["content_type"] as? String == "image/jpeg")

            let fetched = try await client.execute(uri: "/v1/admissions/\(id)", method: .get)
            #expect(fetched.status == .ok)
            #expect(fetched.json["decision"] as? String == "admitted")
            #expect(fetched.json["superseded_by"] is NSNull)
            #expect(try await traingate.count("SELECT count(*) FROM queue_item") == 1)
            #expect(try await traingate.count("SELECT count(*) FROM audit_entry") == 2)
        }
    }

    @Test(arguments: StoreBackend.available) func anEUPhotoWithoutConsentIsRejectedWithBothReasons(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.postJSON("/v1/admissions", Bodies.admission(country: "FR"))
            #expect(response.status == .created)
            #expect(response.json["decision"] as? String == "rejected")
            let codes = (response.json["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["RESIDENCY_RESTRICTED", "LAWFUL_BASIS_MISSING"])
            #expect(response.json["jurisdictions"] as? [String] == ["EU"])
            #expect(response.json["queued"] as? Bool == false)
        }
    }

    @Test(arguments: StoreBackend.available) func gpsIsResolvedOfflineAndCautiouslyAtBorders(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.postJSON(
                "/v1/admissions", Bodies.admission(extra: #","signals":{"gps":{"lat":43.7384,"lon":7.4246}}"#))
            #expect(response.json["decision"] as? String == "rejected")
            let signals = try #require(response.json["signals"] as? [[String: Any]])
            #expect(signals.compactMap { $0["country"] as? String }.prefix(3) == ["US", "MC", "FR"])
            #expect(signals[1]["source"] as? String == "gps")
        }
    }

    @Test(arguments: StoreBackend.available) func theSameBodyAgainIsIdempotentWhateverItsFormatting(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let first = try await client.postJSON("/v1/admissions", Bodies.admission())
            let reformatted =
                #"{ "visibility": "public", "subject": {"account_country": "US", "id": "user-1"}, "source": "instagram", "image_id": "ig_1", "opt_outs": {"ai_training": false} }"#
            let second = try await client.postJSON("/v1/admissions", reformatted)
            #expect(first.status == .created)
            #expect(second.status == .ok)
            #expect(second.json["admission_id"] as? String == first.json["admission_id"] as? String)
            #expect(second.headers[.location] == first.headers[.location])
            let entries = try await traingate.count("SELECT count(*) FROM audit_entry WHERE kind = 'decision'")
            #expect(entries == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func aChangedBodySupersedesAndTheRejectedImageLeavesTheQueue(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let image = Data(Bodies.jpeg).base64EncodedString()
            let first = try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(image)""#))
            #expect(first.json["queued"] as? Bool == true)
            let second = try await client.postJSON(
                "/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(image)","opt_outs":{"ai_training":true}"#))
            #expect(second.status == .created)
            #expect(second.json["decision"] as? String == "rejected")
            #expect((second.json["audit"] as? [String: Any])?["seq"] as? Int == 3)
            let firstID = try #require(first.json["admission_id"] as? String)
            let old = try await client.execute(uri: "/v1/admissions/\(firstID)", method: .get)
            #expect(old.json["superseded_by"] as? String == second.json["admission_id"] as? String)
            #expect(old.json["queued"] as? Bool == false)
            let queued = try await traingate.count("SELECT count(*) FROM queue_item")
            #expect(queued == 0)
        }
    }

    /// Answers are canonical JSON (sorted keys, compact), so the same decision reads back as the
    /// same bytes: the new decision, a superseded one with `superseded_by`, and a batch line.
    @Test(arguments: StoreBackend.available) func admissionAnswersAreCanonicalJSON(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let image = Data(Bodies.jpeg).base64EncodedString()
            let first = try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(image)""#))
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(visibility: "private", extra: #","image_base64":"\#(image)""#))
            let firstID = try #require(first.json["admission_id"] as? String)
            let superseded = try await client.execute(uri: "/v1/admissions/\(firstID)", method: .get)
            let batch = try await client.execute(
                uri: "/v1/admissions/batch", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: Bodies.admission(imageID: "c1", country: "FR") + "\n"))
            let bodies = [
                Array(first.body.readableBytesView), Array(superseded.body.readableBytesView), Array(batch.body.readableBytesView.dropLast()),
            ]
            for body in bodies {
                #expect(String(decoding: CanonicalJSON.encode(try JSONValue.parse(body)), as: UTF8.self) == String(decoding: body, as: UTF8.self))
            }
            #expect(superseded.json["superseded_by"] is String)
            #expect(first.json["image"] is [String: Any])
        }
    }

    /// One writer for every decision answer: an evaluation is the admission's answer for the same
    /// body without what only a record has, byte for byte, and canonical. (An admitted photo: a
    /// rejected one's recorded answer has no image, whose pixels are never kept.)
    @Test(arguments: StoreBackend.available) func anEvaluationIsTheAdmissionsAnswerWithoutTheRecord(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, now: { Timestamp.parse("2026-11-28T12:00:00Z")! }) { client, _ in
            let image = Data(Bodies.jpeg).base64EncodedString()
            let body = Bodies.admission(country: "US", extra: #","image_base64":"\#(image)""#)
            let evaluated = try await client.postJSON("/v1/policy/evaluate", body)
            let admitted = try await client.postJSON("/v1/admissions", body)
            let evaluatedBytes = Array(evaluated.body.readableBytesView)
            #expect(CanonicalJSON.encode(try JSONValue.parse(evaluatedBytes)) == evaluatedBytes)
            guard case .object(var recorded) = try JSONValue.parse(Array(admitted.body.readableBytesView)) else {
                Issue.record("the admission's answer is not an object")
                return
            }
            for member in ["admission_id", "audit", "queued"] { #expect(recorded.removeValue(forKey: member) != nil) }
            #expect(String(decoding: CanonicalJSON.encode(.object(recorded)), as: UTF8.self) == String(decoding: evaluatedBytes, as: UTF8.self))
        }
    }

    @Test(arguments: StoreBackend.available) func multipartCarriesMetadataAndTheRawImage(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let boundary = "traingate-boundary-42"
            var body = ByteBuffer()
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n")
            body.writeString(Bodies.admission(imageID: "mp_1"))
            body.writeString(
                "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
            body.writeBytes(Bodies.jpeg)
            body.writeString("\r\n--\(boundary)--\r\n")
            let response = try await client.execute(
                uri: "/v1/admissions", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            #expect(response.status == .created)
            #expect(response.json["queued"] as? Bool == true)
            // What is described (and stored) is the minimised copy, named by the original's hash.
            let image = try #require(response.json["image"] as? [String: Any])
            #expect(image["sha256"] as? String == Hex.encode(SHA256.hash(data: Bodies.jpeg)))
            #expect(image["content_type"] as? String == "image/jpeg")
            #expect((image["width"] as? Int, image["height"] as? Int) == (256, 171))
            #expect((image["phash"] as? String)?.count == 16)
        }
    }

    @Test(arguments: StoreBackend.available) func multipartWithAnUnknownPartOrNoMetadataIsRejected(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let boundary = "b"
            let body = "--b\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{}\r\n--b--\r\n"
            let response = try await client.execute(
                uri: "/v1/admissions", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let fields = (response.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["meta", "metadata"])
        }
    }

    @Test(arguments: StoreBackend.available) func evaluateDecidesButRecordsNothing(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let response = try await client.postJSON("/v1/policy/evaluate", Bodies.admission(country: "DE"))
            #expect(response.status == .ok)
            #expect(response.json["decision"] as? String == "rejected")
            #expect(response.json["admission_id"] == nil)
            #expect(response.json["audit"] == nil)
            #expect(try await traingate.count("SELECT count(*) FROM admission") == 0)
            #expect(try await traingate.count("SELECT count(*) FROM audit_entry WHERE kind = 'decision'") == 0)
        }
    }

    @Test(arguments: StoreBackend.available) func theActivePolicyIsPublished(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.execute(uri: "/v1/policy", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["version"] as? String == DefaultPolicy.policy.version)
            #expect(response.json["restricted_jurisdictions"] as? [String] == DefaultPolicy.policy.options.restrictedJurisdictions)
            #expect((response.json["restricted_jurisdictions"] as? [String])?.contains("JE") == true)
            #expect((response.json["governing_jurisdictions"] as? [String])?.suffix(9) == ["AD", "SM", "VA", "SJ", "GL", "BQ", "AW", "CW", "SX"])
            #expect((response.json["controller"] as? [String: Any])?["established_in"] as? [String] == [])
            let rules = try #require(response.json["rules"] as? [[String: Any]])
            #expect(rules.compactMap { $0["id"] as? String } == DefaultPolicy.policy.rules.map(\.rawValue))
            let eu = (response.json["jurisdictions"] as? [String: Any])?["EU"] as? [String: Any]
            #expect((eu?["countries"] as? [String])?.contains("RE") == true)
            #expect(eu?["law"] as? String == "GDPR" && eu?["time_zone"] as? String == "Europe/Brussels")
            let swiss = (response.json["jurisdictions"] as? [String: Any])?["CH"] as? [String: Any]
            #expect((swiss?["citations"] as? [String: String])?["LAWFUL_BASIS_MISSING"] == "FADP Art. 30-31")
        }
    }

    @Test func erasedContentStopsAnOtherwiseAdmissiblePhoto() async throws {
        try await TestApp.withClient { client, traingate in
            // A row the erasure endpoint (a later issue) will write.
            let image = Data(Bodies.jpeg).base64EncodedString()
            try await traingate.database.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO erased_content (sha256, erased_at) VALUES (?, '2026-01-01T00:00:00Z')",
                    arguments: [Hex.encode(SHA256.hash(data: Bodies.jpeg))])
            }
            let erased = try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(image)""#))
            #expect((erased.json["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["ERASED_CONTENT"])
            #expect(erased.json["queued"] as? Bool == false)
        }
    }

    @Test func aRegisteredObjectionIsSeenInsideTheWriteAndRejectsWithOptedOut() async throws {
        try await TestApp.withClient { client, traingate in
            // The row the objection endpoint writes, keyed by the subject's pseudonym (its bytes).
            let pseudonymizer = SubjectPseudonymizer(key: SymmetricKey(data: Hex.decode(TestApp.masterKey)!))
            let subjectRef = pseudonymizer.reference(source: "instagram", subjectID: "user-1")
            try await traingate.database.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO objection (subject_ref, registered_at) VALUES (?, '2026-01-01T00:00:00Z')",
                    arguments: [Data(Hex.decode(subjectRef)!)])
            }
            let objected = try await client.postJSON("/v1/admissions", Bodies.admission())
            #expect(objected.json["decision"] as? String == "rejected")
            let reasons = try #require(objected.json["reasons"] as? [[String: Any]])
            #expect(reasons.compactMap { $0["code"] as? String } == ["OPTED_OUT"])
            #expect((reasons.first?["message"] as? String)?.contains("Art. 21") == true)
            // Another subject of the same source is not affected.
            let other = try await client.postJSON(
                "/v1/admissions", #"{"image_id":"o2","source":"instagram","subject":{"id":"user-2","account_country":"US"},"visibility":"public"}"#)
            #expect(other.json["decision"] as? String == "admitted")
        }
    }

    @Test(arguments: StoreBackend.available) func aBatchIsDecidedLineByLineInInputOrder(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let lines = [
                Bodies.admission(imageID: "b1"), Bodies.admission(imageID: "b2", country: "FR"), #"{"image_id": 5}"#,
                "not json", Bodies.admission(imageID: "b1"),
            ]
            let response = try await client.execute(
                uri: "/v1/admissions/batch", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: lines.joined(separator: "\n") + "\n"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let results = String(buffer: response.body).split(separator: "\n").map {
                try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            }
            #expect(results.count == 5)
            #expect(results.map { $0["status"] as? Int } == [201, 201, 400, 400, 200])
            #expect(results[1]["decision"] as? String == "rejected")
            #expect(results[2]["line"] as? Int == 3)
            #expect(results[0]["admission_id"] as? String == results[4]["admission_id"] as? String)
            let admissions = try await traingate.count("SELECT count(*) FROM admission")
            #expect(admissions == 2)
        }
    }

    @Test(arguments: StoreBackend.available) func laterLinesForTheSameKeyWinAsIfPostedOneByOne(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, traingate in
            let image = Data(Bodies.jpeg).base64EncodedString()
            var lines: [String] = []
            for round in 0..<20 {
                lines.append(
                    Bodies.admission(
                        imageID: "same", extra: #","image_base64":"\#(image)","captured_at":"2026-01-01T00:00:\#(String(format: "%02d", round))Z""#))
                lines.append(Bodies.admission(imageID: "other-\(round)"))
            }
            lines.append(Bodies.admission(imageID: "same", extra: #","image_base64":"\#(image)","opt_outs":{"ai_training":true}"#))
            let response = try await client.execute(
                uri: "/v1/admissions/batch", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: lines.joined(separator: "\n")))
            let results = String(buffer: response.body).split(separator: "\n").map {
                try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            }
            let sameSeqs = results.enumerated().filter { $0.offset % 2 == 0 || $0.offset == 40 }
                .compactMap { ($0.element["audit"] as? [String: Any])?["seq"] as? Int }
            #expect(sameSeqs == sameSeqs.sorted(), "lines for one key must be recorded in input order")
            #expect(results.last?["decision"] as? String == "rejected")
            // By the lines' admission ids: PostgreSQL keeps no image id in the clear.
            let sameIDs = results.enumerated().filter { $0.offset % 2 == 0 || $0.offset == 40 }
                .compactMap { $0.element["admission_id"] as? String }.map { "'\($0)'" }
            #expect(sameIDs.count == 21)
            let queued = try await traingate.count(
                "SELECT count(*) FROM queue_item WHERE admission_id IN (\(sameIDs.joined(separator: ", ")))")
            #expect(queued == 0, "the last line opted out, so the image must not stay queued")
        }
    }

    @Test(arguments: StoreBackend.available) func aBatchOverTheByteLimitIsRefusedWhole(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, { $0.maxBatchBytes = 1024 }) { client, traingate in
            let body = (1...10).map { Bodies.admission(imageID: "big\($0)") }.joined(separator: "\n")
            #expect(body.utf8.count > 1024)
            let response = try await client.execute(
                uri: "/v1/admissions/batch", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: body))
            #expect(response.status == .contentTooLarge)
            #expect((response.json["detail"] as? String)?.contains("1024") == true)
            let admissions = try await traingate.count("SELECT count(*) FROM admission")
            #expect(admissions == 0)
        }
    }

    @Test(arguments: StoreBackend.available) func aBatchOverTheLineLimitIsRefusedWhole(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, { $0.maxBatchLines = 2 }) { client, traingate in
            let body = (1...3).map { Bodies.admission(imageID: "l\($0)") }.joined(separator: "\n")
            let response = try await client.execute(
                uri: "/v1/admissions/batch", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: body))
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            let admissions = try await traingate.count("SELECT count(*) FROM admission")
            #expect(admissions == 0)
        }
    }
}
