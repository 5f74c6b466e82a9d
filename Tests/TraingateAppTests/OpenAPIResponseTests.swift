import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TraingateApp
import Synchronization
import TestFixtures
import TraingateTesting

/// Real responses of every kind must match the schemas of openapi.yaml (checked by
/// scripts/check_openapi_responses.py with a JSON Schema 2020-12 validator).
@Suite struct OpenAPIResponseTests {
    private struct Sample: Encodable {
        let schema: String
        let note: String
        let body: JSONBody
    }

    /// Raw JSON passed through unchanged.
    private struct JSONBody: Encodable {
        let bytes: Data
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(try JSONDecoder().decode(AnyJSON.self, from: bytes))
        }
    }

    private indirect enum AnyJSON: Codable {
        case null, bool(Bool), number(Double), string(String), array([AnyJSON]), object([String: AnyJSON])
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let v = try? c.decode(Bool.self) {
                self = .bool(v)
            } else if let v = try? c.decode(Double.self) {
                self = .number(v)
            } else if let v = try? c.decode(String.self) {
                self = .string(v)
            } else if let v = try? c.decode([AnyJSON].self) {
                self = .array(v)
            } else {
                self = .object(try c.decode([String: AnyJSON].self))
            }
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .bool(let v): try c.encode(v)
            case .number(let v): if v.rounded() == v, abs(v) < 1e15 { try c.encode(Int64(v)) } else { try c.encode(v) }
            case .string(let v): try c.encode(v)
            case .array(let v): try c.encode(v)
            case .object(let v): try c.encode(v)
            }
        }
    }

    @Test func everyKindOfResponseMatchesItsSchema() async throws {
        let samples = Mutex<[Sample]>([])
        try await TestApp.withClient { client, _ in
            func record(_ schema: String, _ note: String, _ response: TestResponse) {
                samples.withLock { $0.append(Sample(schema: schema, note: note, body: JSONBody(bytes: Data(buffer: response.body)))) }
            }
            let image = Data(Bodies.jpeg).base64EncodedString()
            let admitted = try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(image)""#))
            record("AdmissionDecision", "admitted with image", admitted)
            record(
                "AdmissionDecision", "rejected, EU with GPS",
                try await client.postJSON(
                    "/v1/admissions",
                    Bodies.admission(
                        imageID: "x2", country: "FR",
                        extra: #","signals":{"gps":{"lat":43.7384,"lon":7.4246}},"lawful_basis":{"basis":"consent","purposes":["ads"]}"#)))
            let id = try #require(admitted.json["admission_id"] as? String)
            record("StoredAdmission", "GET", try await client.execute(uri: "/v1/admissions/\(id)", method: .get))
            record("PolicyEvaluation", "dry run", try await client.postJSON("/v1/policy/evaluate", Bodies.admission(country: "DE")))
            record("ActivePolicy", "GET /v1/policy", try await client.execute(uri: "/v1/policy", method: .get))
            record("HealthStatus", "healthz", try await client.execute(uri: "/healthz", method: .get))
            record("ReadinessStatus", "readyz", try await client.execute(uri: "/readyz", method: .get))
            record("Problem", "400", try await client.postJSON("/v1/admissions", #"{"nope": 1}"#))
            record("Problem", "404", try await client.execute(uri: "/nowhere", method: .get))
            record("Problem", "405", try await client.execute(uri: "/v1/policy", method: .delete))
            record(
                "Problem", "415",
                try await client.execute(
                    uri: "/v1/admissions", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "x")))
            let truncated = Data(Bodies.image("truncated.jpg")).base64EncodedString()
            record(
                "Problem", "422 undecodable image",
                try await client.postJSON(
                    "/v1/admissions", Bodies.admission(imageID: "t1", extra: #","image_base64":"\#(truncated)""#)))
            let bomb = Data(Bodies.image("bomb-60000x60000.png")).base64EncodedString()
            record(
                "Problem", "413 pixel limit",
                try await client.postJSON(
                    "/v1/admissions", Bodies.admission(imageID: "t2", extra: #","image_base64":"\#(bomb)""#)))
            record("AuditPage", "GET /v1/audit", try await client.execute(uri: "/v1/audit?limit=2", method: .get))
            record("AuditPage", "filtered, empty", try await client.execute(uri: "/v1/audit?kind=erasure", method: .get))
            record("AuditVerification", "intact", try await client.execute(uri: "/v1/audit/verify", method: .get))
            record("Problem", "400 audit query", try await client.execute(uri: "/v1/audit?limit=5000", method: .get))
            record("Problem", "404 no checkpoint", try await client.postJSON("/v1/embeddings/search", #"{"admission_id": "\#(id)"}"#))
            let queuedJob = try await client.postJSON("/v1/training/jobs", #"{"epochs": 0, "embedding_dim": 8}"#)
            record("TrainingJob", "202 queued", queuedJob)
            let jobID = try #require(queuedJob.json["job_id"] as? String)
            let finished = try await TrainingAPITests.wait(client, jobID, until: TrainingAPITests.status("succeeded", "failed"))
            #expect(finished["status"] as? String == "succeeded")
            record("TrainingJob", "succeeded", try await client.execute(uri: "/v1/training/jobs/\(jobID)", method: .get))
            record("Problem", "409 cancel ended job", try await client.execute(uri: "/v1/training/jobs/\(jobID)/cancel", method: .post))
            record("Problem", "400 job parameters", try await client.postJSON("/v1/training/jobs", #"{"epochs": "many"}"#))
            record(
                "EmbeddingNeighbors", "by upload",
                try await client.postJSON(
                    "/v1/embeddings/search", #"{"image_base64": "\#(image)", "k": 2}"#))
            record("SubjectReport", "access", try await client.get("/v1/subjects/user-1?source=instagram", key: nil))
            record("ObjectionReceipt", "objection", try await client.postJSON("/v1/subjects/user-1/objection?source=instagram", ""))
            let erasure = try await client.delete("/v1/subjects/user-1?source=instagram")
            record("ErasureReceipt", "erasure", erasure)
            record("StoredAdmission", "GET erased", try await client.execute(uri: "/v1/admissions/\(id)", method: .get))
            record("TrainingJob", "tainted", try await client.execute(uri: "/v1/training/jobs/\(jobID)", method: .get))
            record("Problem", "409 tainted checkpoint", try await client.postJSON("/v1/embeddings/search", #"{"image_base64": "\#(image)"}"#))
            let batch = try await client.execute(
                uri: "/v1/admissions/batch", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: Bodies.admission(imageID: "b1") + "\n{\"nope\":1}\n"))
            for line in String(buffer: batch.body).split(separator: "\n") {
                samples.withLock { $0.append(Sample(schema: "BatchResultLine", note: "batch line", body: JSONBody(bytes: Data(line.utf8)))) }
            }
        }
        let recorded = samples.withLock { $0 }
        let output = try Self.check(recorded)
        #expect(recorded.count == 31)
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("ok") }.count == recorded.count, "\(output)")
    }

    /// Runs scripts/check_openapi_responses.py over the samples; returns its output after
    /// expecting it to succeed.
    private static func check(_ recorded: [Sample]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-samples-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONEncoder().encode(recorded).write(to: file)
        let result = try Python.run(
            script: "scripts/check_openapi_responses.py", arguments: [Repository.path("openapi.yaml"), file.path])
        #expect(result.status == 0, "\(result.output)")
        return result.output
    }

    /// The answers at the door match the schemas of their responses.
    @Test func refusalsAtTheDoorMatchTheirSchemas() async throws {
        let samples = Mutex<[Sample]>([])
        try await TestApp.withKeys { client, _, keys in
            for (schema, response) in [
                ("UnauthorizedProblem", try await client.get("/v1/audit", key: nil)),
                ("ForbiddenProblem", try await client.get("/v1/audit", key: keys["submitter"])),
                ("Problem", try await client.get("/v1/audit", key: "tg_nope")),
            ] {
                samples.withLock {
                    $0.append(Sample(schema: schema, note: "\(response.status.code)", body: JSONBody(bytes: Data(buffer: response.body))))
                }
            }
        }
        let recorded = samples.withLock { $0 }
        let output = try Self.check(recorded)
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("ok") }.count == recorded.count, "\(output)")
    }
}
