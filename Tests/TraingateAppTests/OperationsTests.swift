import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TraingateApp

@Suite struct OperationsTests {
    @Test func healthAndReadiness() async throws {
        try await TestApp.withClient { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["status"] as? String == "ready")
            let head = try await client.execute(uri: "/healthz", method: .head)
            #expect(head.status == .ok)
        }
    }

    @Test func readinessFailsWhenTheDatabaseIsClosed() async throws {
        try await TestApp.withClient { client, traingate in
            try traingate.database.close()
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func metricsAreServedAsPrometheusText() async throws {
        try await TestApp.withClient { client, _ in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }

    @Test func theBenchmarkRoutesExistOnlyWhenEnabled() async throws {
        try await TestApp.withClient { client, _ in
            for path in ["/_bench/noop", "/_bench/floor", "/_bench/parse", "/_bench/decide"] {
                let response = try await client.postJSON(path, "{}")
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func theBenchmarkStagesAnswerWithoutRecordingAnything() async throws {
        try await TestApp.withClient({ $0.benchmarkRoutes = true }) { client, _ in
            let noop = try await client.postJSON("/_bench/noop", "{\"a\":1}")
            #expect(noop.status == .ok)
            #expect(noop.json["bytes"] as? Int == 7)

            // The floor records each body as a decision of its own scratch database.
            for expectedSeq in [1, 2] {
                let floor = try await client.postJSON("/_bench/floor", "{\"a\":1}")
                #expect(floor.status == .ok)
                #expect(floor.json["seq"] as? Int == expectedSeq)
                #expect(floor.json["bytes"] as? Int == 7)
            }

            let body = #"{"image_id":"b-1","source":"instagram","visibility":"public","subject":{"id":"u1","account_country":"FR"}}"#
            let parsed = try await client.postJSON("/_bench/parse", body)
            #expect(parsed.status == .ok)
            #expect(parsed.json["image_id"] as? String == "b-1")
            // The same strict decoding as an admission: an unknown field is named.
            let unknown = try await client.postJSON("/_bench/parse", #"{"image_id":"b-1","colour":"red"}"#)
            #expect(unknown.status == .badRequest)
            #expect(String(buffer: unknown.body).contains("colour"))

            let decided = try await client.postJSON("/_bench/decide", body)
            #expect(decided.status == .ok)
            #expect(decided.json["decision"] as? String == "rejected")  // an EU resident
            #expect((decided.json["request_hash"] as? String)?.count == 64)
            // Nothing was recorded: the same image is new to the real route.
            let admitted = try await client.postJSON("/v1/admissions", body)
            #expect(admitted.status == .created)
            #expect((admitted.json["audit"] as? [String: Any])?["seq"] as? Int == 2)  // after the start-up policy entry
        }
    }
}
