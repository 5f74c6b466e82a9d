import Synchronization

/// Requests per second per API key: a token bucket per key, refilled at `rate` tokens a second
/// up to `burst`. A key that runs dry is answered `429` with `Retry-After` (whole seconds until
/// a token is back), so one runaway pipeline cannot crowd out the others.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// - Parameters:
    ///   - rate: tokens a second per key; 0 turns the limit off.
    ///   - burst: the most tokens a key can save up.
    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(burst, 1)
    }

    var isOff: Bool { rate <= 0 }

    /// Takes a token for `key`; nil when the request may go on, otherwise the whole seconds to
    /// wait for the next token.
    func take(for key: String, at now: ContinuousClock.Instant = .now) -> Int? {
        guard !isOff else { return nil }
        return buckets.withLock { buckets -> Int? in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
