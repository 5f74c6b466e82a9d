import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresTesting
import Testing
import TraingateTesting

@testable import TraingateApp

/// Per-key rates and the cap on requests in hand.
@Suite struct LimitTests {
    /// The bucket starts full, refills at its rate and never above its burst; a dry bucket says
    /// how many whole seconds to wait. Instants are given, so nothing depends on the clock.
    @Test func aTokenBucketPerKey() {
        let limiter = RateLimiter(rate: 2, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).map { _ in limiter.take(for: "a", at: start) } == [nil, nil, nil])
        #expect(limiter.take(for: "a", at: start) == 1)
        #expect(limiter.take(for: "b", at: start) == nil)  // another key has its own bucket
        #expect(limiter.take(for: "a", at: start + .milliseconds(500)) == nil)  // one token back
        #expect(limiter.take(for: "a", at: start + .milliseconds(500)) == 1)
        #expect((0..<3).map { _ in limiter.take(for: "a", at: start + .seconds(60)) } == [nil, nil, nil])  // full again, not 120
        #expect(limiter.take(for: "a", at: start + .seconds(60)) == 1)
        let slow = RateLimiter(rate: 0.25, burst: 1)
        #expect(slow.take(for: "a", at: start) == nil)
        #expect(slow.take(for: "a", at: start) == 4)
        #expect(RateLimiter(rate: 0, burst: 1).take(for: "a", at: start) == nil)  // off
    }

    @Test func theInFlightCountComesBack() {
        let limit = InFlightLimit(maximum: 2)
        #expect(limit.enter() && limit.enter())
        #expect(!limit.enter())
        limit.leave()
        #expect(limit.enter())
    }

    /// A key over its rate is answered 429 with Retry-After, as problem+json; another key is not.
    @Test(arguments: StoreBackend.available) func aKeyOverItsRateIsRefused(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(
            on: backend,
            {
                $0.rateLimitPerKey = 1
                $0.rateBurstPerKey = 2
            }
        ) { client, _, keys in
            var statuses: [HTTPResponse.Status] = []
            var refused: TestResponse?
            for _ in 0..<10 {
                let response = try await client.get("/v1/policy", key: keys["auditor"])
                statuses.append(response.status)
                if response.status == .tooManyRequests { refused = response }
            }
            #expect(statuses.prefix(2).allSatisfy { $0 == .ok })
            let answer = try #require(refused)
            #expect(Int(answer.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(answer.json["type"] as? String == "https://traingate.dev/problems/rate-limited")
            let other = try await client.get("/v1/policy", key: keys["trainer"])
            #expect(other.status == .ok)
        }
    }
}
