import Synchronization

/// Memory that request bodies and image decoding may hold at once, across all requests. The
/// cap on requests in flight bounds how many there are, not what they cost: one 40 MP PNG of
/// 168 KB takes about 270 MB to decode, and 512 bodies of 28 MB would take 14 GB. Work that
/// does not fit now is refused at once with `503` and `Retry-After` (nothing recorded; the
/// same body is idempotent), work that could never fit with `413`.
final class MemoryBudget: Sendable {
    let capacity: Int
    private let used = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Runs `body` with `bytes` reserved, released when it ends, however it ends.
    /// - Parameter purpose: what the memory is for, as the client reads it ("the request body").
    func withReservation<Result>(
        _ bytes: Int, for purpose: String, _ body: () async throws -> Result
    ) async throws -> Result {
        guard bytes > 0 else { return try await body() }
        try reserve(bytes, for: purpose)
        defer { used.withLock { $0 -= bytes } }
        return try await body()
    }

    /// Bytes reserved now (for tests and metrics).
    var inUse: Int { used.withLock { $0 } }

    private func reserve(_ bytes: Int, for purpose: String) throws {
        guard bytes <= capacity else {
            throw ProblemDetails(
                .payloadTooLarge,
                detail: "Reading \(purpose) would take \(bytes) bytes of memory; the server allows \(capacity) (limits.memory_budget_bytes).",
                limit: .memoryBudget)
        }
        let reserved = used.withLock { used in
            guard used + bytes <= capacity else { return false }
            used += bytes
            return true
        }
        guard reserved else {
            var problem = ProblemDetails(
                .busy,
                detail: "The memory for \(purpose) (\(bytes) bytes) is in use by other requests; nothing was recorded. Retry in a second.",
                limit: .memoryBudget)
            problem.extraHeaders[.retryAfter] = "1"
            throw problem
        }
    }
}
