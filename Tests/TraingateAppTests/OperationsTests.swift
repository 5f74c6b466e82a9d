import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresTesting
import Testing
@testable import TraingateApp
import TraingateTesting

@Suite struct OperationsTests {
    @Test(arguments: StoreBackend.available) func healthAndReadiness(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
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

    /// A database that takes no writes (as a read-only file or a full disk would) makes the
    /// instance not ready, and every write answers 503 (storage unavailable, nothing recorded),
    /// never 500; once writes work again it is ready again.
    @Test func readinessFollowsWritability() async throws {
        try await TestApp.withClient { client, traingate in
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            try await traingate.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
            var ready = try await client.execute(uri: "/readyz", method: .get)
            for _ in 0..<300 where ready.status == .ok {  // the last probe's answer stands for a second
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.execute(uri: "/readyz", method: .get)
            }
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["type"] as? String == "https://traingate.dev/problems/not-ready")
            #expect((ready.json["detail"] as? String)?.contains("/") == false)  // no file path
            let job = try await client.postJSON("/v1/training/jobs", "{}")
            #expect(job.status == .serviceUnavailable)
            #expect(job.json["type"] as? String == "https://traingate.dev/problems/storage-unavailable")
            let admission = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "readonly-1"))
            #expect(admission.status == .serviceUnavailable)

            try await traingate.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 0") }
            for _ in 0..<300 where ready.status != .ok {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.execute(uri: "/readyz", method: .get)
            }
            #expect(ready.status == .ok)
        }
    }

    @Test(arguments: StoreBackend.available) func metricsAreServedAsPrometheusText(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }

    /// The shipped binary carries no benchmark code: the baselines live in bench/'s own server.
    @Test(arguments: StoreBackend.available) func theShippedAppHasNoBenchmarkRoutes(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            for path in ["/_bench/noop", "/_bench/floor", "/_bench/parse", "/_bench/decide"] {
                let response = try await client.postJSON(path, "{}")
                #expect(response.status == .notFound)
            }
        }
    }
}
