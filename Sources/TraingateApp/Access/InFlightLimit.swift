import Synchronization

/// A cap on requests being handled at once. Beyond it a request is answered `503` with
/// `Retry-After` at once, instead of queueing work the server cannot finish in time (the probes
/// `/healthz` and `/readyz` are never counted, so an overloaded server is not also restarted).
final class InFlightLimit: Sendable {
    let maximum: Int
    private let current = Atomic<Int>(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Counts a request in; false when the cap is reached (nothing was counted).
    func enter() -> Bool {
        let after = current.wrappingAdd(1, ordering: .relaxed).newValue
        guard after <= maximum else {
            current.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func leave() {
        current.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Requests in hand now.
    var inHand: Int { current.load(ordering: .relaxed) }
}
