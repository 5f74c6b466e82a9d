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

    @Test func theBenchmarkBaselineRouteExistsOnlyWhenEnabled() async throws {
        try await TestApp.withClient { client, _ in
            let missing = try await client.postJSON("/_bench/noop", "{}")
            #expect(missing.status == .notFound)
        }
        try await TestApp.withClient({ $0.benchmarkRoutes = true }) { client, _ in
            let response = try await client.postJSON("/_bench/noop", "{\"a\":1}")
            #expect(response.status == .ok)
            #expect(response.json["bytes"] as? Int == 7)
        }
    }
}
