import Foundation
import Logging
import ServiceLifecycle

/// Keeps `KeyCache` in step with the database (keys created or revoked by `traingate keys`
/// while the server runs) and writes back when each key was last used.
struct KeyRefresher: Service {
    let cache: KeyCache
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            // Cancelled (the server could not start, say): the database is closing, nothing to re-read.
            if Task.isCancelled { break }
            do {
                if try await cache.reload() {
                    logger.notice("an API key was created: development mode is over, every route but /healthz and /readyz needs a key")
                }
                try await cache.store.recordUse(cache.takeUses())
            } catch {
                logger.warning("could not re-read the API keys; the last ones read stay in force", metadata: ["error": "\(error)"])
            }
        }
        // The last uses before the stop (the database closes after this service).
        try? await cache.store.recordUse(cache.takeUses())
    }
}
