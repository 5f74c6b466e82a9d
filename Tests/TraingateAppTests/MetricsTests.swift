import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestFixtures
import PostgresTesting
import Testing
@testable import TraingateApp
import TraingateTesting

/// `/metrics` scraped from the real application after real traffic, parsed strictly.
@Suite struct MetricsTests {
    static func scrape(_ client: any TestClientProtocol) async throws -> PrometheusExposition {
        let response = try await client.execute(uri: "/metrics", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        return PrometheusExposition(String(buffer: response.body))
    }

    /// Every family parses, has help text and a type, follows the naming conventions, is
    /// documented in docs/operations.md, and passes `promtool check metrics` where it is installed.
    @Test(arguments: StoreBackend.available) func theScrapeFollowsTheFormatAndTheConventions(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "m1"))
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "m2", country: "FR"))
            _ = try await client.execute(uri: "/v1/audit/verify", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: response.body)
            let scrape = PrometheusExposition(text)
            #expect(scrape.problems == [])
            #expect(scrape.samples.count > 100)
            let families = Set(scrape.types.keys)
            #expect(families.allSatisfy { $0.hasPrefix("traingate_") }, "\(families.sorted())")
            let operations = try String(contentsOf: Self.repository.appendingPathComponent("docs/operations.md"), encoding: .utf8)
            let undocumented = families.sorted().filter { !operations.contains("`\($0)`") }
            #expect(undocumented == [], "docs/operations.md does not list them")
            if let lint = try await OffPool.run({ try Self.promtoolCheckMetrics(text) }) { #expect(lint == "", "promtool check metrics: \(lint)") }
        }
    }

    @Test(arguments: StoreBackend.available) func decisionsAreCountedByOutcomeAndReason(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "d1"))
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "d2"))
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "d3", country: "FR"))
            // A replay answers the decision already recorded, and a dry run records none.
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "d1"))
            _ = try await client.postJSON("/v1/policy/evaluate", Bodies.admission(imageID: "d4", country: "FR"))
            let scrape = try await Self.scrape(client)
            #expect(scrape.value("traingate_decisions_total", ["outcome": "admitted"]) == 2)
            #expect(scrape.value("traingate_decisions_total", ["outcome": "rejected"]) == 1)
            #expect(scrape.value("traingate_decision_reasons_total", ["outcome": "rejected", "reason": "RESIDENCY_RESTRICTED"]) == 1)
            #expect(scrape.value("traingate_decision_reasons_total", ["outcome": "rejected", "reason": "MINOR"]) == 0)
            // Every outcome × reason series exists from the start.
            #expect(scrape.family("traingate_decision_reasons_total").count == 2 * 12)
        }
    }

    /// Routes are labelled by their template, so a series per admission id never appears.
    @Test(arguments: StoreBackend.available) func requestsAreLabelledByRouteTemplateAndStatus(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let created = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "r1"))
            let id = try #require(created.json["admission_id"] as? String)
            for _ in 0..<3 { _ = try await client.execute(uri: "/v1/admissions/\(id)", method: .get) }
            _ = try await client.execute(uri: "/v1/admissions/adm_unknown", method: .get)
            _ = try await client.execute(uri: "/no/such/path/\(UUID())", method: .get)
            _ = try await client.execute(uri: "/v1/policy", method: HTTPRequest.Method("BREW")!)
            let scrape = try await Self.scrape(client)
            let route = "/v1/admissions/{admission_id}"
            #expect(scrape.value("traingate_http_requests_total", ["route": route, "method": "GET", "status": "200"]) == 3)
            #expect(scrape.value("traingate_http_requests_total", ["route": route, "method": "GET", "status": "404"]) == 1)
            #expect(scrape.value("traingate_http_requests_total", ["route": "unmatched", "method": "GET", "status": "404"]) == 1)
            #expect(scrape.value("traingate_http_requests_total", ["route": "unmatched", "method": "other"]) == 1)
            #expect(scrape.value("traingate_http_request_duration_seconds_count", ["route": route, "method": "GET"]) == 4)
            #expect(scrape.value("traingate_http_request_duration_seconds_count", ["route": "/v1/admissions", "method": "POST"]) == 1)
            #expect(!scrape.samples.contains { $0.labels["route"]?.contains(id) == true })
        }
    }

    @Test(arguments: StoreBackend.available) func rejectionsByALimitNameItsSetting(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, { $0.maxBatchLines = 2 }) { client, _ in
            let body = (1...3).map { Bodies.admission(imageID: "l\($0)") }.joined(separator: "\n")
            let batch = try await client.execute(
                uri: "/v1/admissions/batch", method: .post, headers: [.contentType: "application/x-ndjson"], body: ByteBuffer(string: body))
            #expect(batch.status == .contentTooLarge)
            let oversized = try await client.postJSON("/v1/training/jobs", "{\"pad\":\"\(String(repeating: "x", count: 70_000))\"}")
            #expect(oversized.status == .contentTooLarge)
            let scrape = try await Self.scrape(client)
            #expect(scrape.value("traingate_limit_rejections_total", ["limit": "limits.max_batch_lines"]) == 1)
            #expect(scrape.value("traingate_limit_rejections_total", ["limit": "limits.max_metadata_bytes"]) == 1)
            #expect(scrape.value("traingate_limit_rejections_total", ["limit": "http.rate_limit_per_key"]) == 0)
            #expect(scrape.family("traingate_limit_rejections_total").count == RequestLimit.allCases.count)
        }
    }

    /// A database that refuses writes shows as storage errors of the kind SQLite reported.
    @Test func storageFailuresAreCountedByKind() async throws {
        try await TestApp.withClient { client, traingate in
            try await traingate.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
            let refused = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "s1"))
            #expect(refused.status == .serviceUnavailable)
            try await traingate.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 0") }
            let scrape = try await Self.scrape(client)
            #expect((scrape.value("traingate_storage_errors_total", ["operation": "commit", "kind": "read_only"]) ?? 0) >= 1)
            #expect(scrape.value("traingate_storage_errors_total", ["operation": "commit", "kind": "disk_full"]) == 0)
            #expect(scrape.value("traingate_decisions_total", ["outcome": "admitted"]) == 0)
        }
    }

    /// The queue, the audit head, verifications and group commits, as the store holds them.
    @Test func theStoreStateIsExported() async throws {
        try await TestApp.withClient { client, traingate in
            let image = Data(Bodies.jpeg).base64EncodedString()
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "q1", extra: #","image_base64":"\#(image)""#))
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "q2"))
            let verified = try await client.execute(uri: "/v1/audit/verify", method: .get)
            #expect(verified.json["ok"] as? Bool == true)
            let head = try await traingate.database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_entry") }
            let scrape = try await Self.scrape(client)
            #expect(scrape.value("traingate_training_queue_images") == 1)
            #expect(scrape.value("traingate_training_queue_jobs") == 0)
            #expect(scrape.value("traingate_audit_head_seq") == head.map(Double.init))
            #expect((scrape.value("traingate_audit_verifications_total", ["result": "intact"]) ?? 0) >= 1)
            #expect(scrape.value("traingate_audit_verifications_total", ["result": "broken"]) == 0)
            #expect((scrape.value("traingate_audit_last_verification_age_seconds") ?? .infinity) < 60)
            #expect((scrape.value("traingate_audit_last_verification_timestamp_seconds") ?? 0) > 1.7e9)
            // Two admissions (and the readiness probe's rows, if any) went through group commits.
            #expect((scrape.value("traingate_group_commit_jobs_sum") ?? 0) >= 2)
            #expect((scrape.value("traingate_group_commit_duration_seconds_count") ?? 0) >= 1)
        }
    }

    /// A verification that finds the chain changed is counted as broken.
    @Test func aBrokenChainIsCounted() async throws {
        try await TestApp.withClient { client, traingate in
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "b1"))
            try await traingate.database.writer.write { db in
                try db.execute(sql: "DROP TRIGGER audit_entry_no_update")
                try db.execute(sql: "UPDATE audit_entry SET decision = 'rejected' WHERE seq = (SELECT max(seq) FROM audit_entry)")
            }
            let verified = try await client.execute(uri: "/v1/audit/verify", method: .get)
            #expect(verified.json["ok"] as? Bool == false)
            let scrape = try await Self.scrape(client)
            #expect(scrape.value("traingate_audit_verifications_total", ["result": "broken"]) == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func trainingProgressIsExported(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            _ = try await TrainingAPITests.admit(client)
            let id = try await TrainingAPITests.submit(client, #"{"epochs": 1, "batch_size": 4, "embedding_dim": 8, "seed": 3}"#)
            let job = try await TrainingAPITests.wait(client, id, until: TrainingAPITests.status("succeeded", "failed", "cancelled"))
            #expect(job["status"] as? String == "succeeded")
            let scrape = try await Self.scrape(client)
            // 8 photos in batches of 4: two steps of four images.
            #expect(scrape.value("traingate_training_steps_total") == 2)
            #expect(scrape.value("traingate_training_images_total") == 8)
            #expect(scrape.value("traingate_training_jobs_finished_total", ["status": "succeeded"]) == 1)
            #expect(scrape.value("traingate_training_jobs_finished_total", ["status": "failed"]) == 0)
            #expect(scrape.value("traingate_training_jobs_running") == 0)
            #expect(scrape.value("traingate_training_queue_images") == 8)
        }
    }

    @Test(arguments: StoreBackend.available) func metricsCanBeTurnedOff(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, { $0.metricsEnabled = false }) { client, _ in
            _ = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "o1"))
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// promtool's lint of a scrape (empty when clean), or nil where promtool is not installed.
    static func promtoolCheckMetrics(_ text: String) throws -> String? {
        guard let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let lint = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? lint : "exit \(process.terminationStatus): \(lint)"
    }
}
