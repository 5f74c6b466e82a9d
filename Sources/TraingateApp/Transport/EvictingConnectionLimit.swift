import HummingbirdCore
import Logging

/// At most `maximum` connections at once, like Hummingbird's `MaximumAvailableConnections`;
/// and when the last slot is taken, the connection idle longest is closed (`ConnectionRegistry`),
/// so that a new client is accepted at once instead of waiting behind idle ones.
struct EvictingConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let registry: ConnectionRegistry
    let logger: Logger
    /// Counts each connection closed to make room (`http.max_connections`).
    let limits: LimitMetrics?
    private var open = 0

    init(maximum: Int, registry: ConnectionRegistry, logger: Logger, limits: LimitMetrics? = nil) {
        self.maximum = maximum
        self.registry = registry
        self.logger = logger
        self.limits = limits
    }

    mutating func connectionOpened() {
        open += 1
        if open >= maximum, registry.closeLongestIdle() {
            limits?.rejected(by: .connections)
            logger.debug("connection slots full; the longest idle connection was closed", metadata: ["connections": "\(open)"])
        }
    }

    mutating func connectionClosed() {
        open -= 1
    }

    func isAcceptingNewConnections() -> Bool {
        open < maximum
    }
}
