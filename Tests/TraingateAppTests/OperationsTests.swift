import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TraingateApp
import TraingateTesting

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

    /// The shipped binary carries no benchmark code: the baselines live in bench/'s own server.
    @Test func theShippedAppHasNoBenchmarkRoutes() async throws {
        try await TestApp.withClient { client, _ in
            for path in ["/_bench/noop", "/_bench/floor", "/_bench/parse", "/_bench/decide"] {
                let response = try await client.postJSON(path, "{}")
                #expect(response.status == .notFound)
            }
        }
    }
}
