import Foundation
import Logging
import ServiceLifecycle
import StrictDocuments
import TraingateStore

/// Records the audit chain's head in the anchor file every `interval` and once more at
/// shutdown (after the writer drained), and logs each anchor, so that a copy exists outside
/// the database even when the file does not leave the machine.
struct AuditAnchorer: Service {
    let store: any AuditLogStore
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // The sleep ends early at shutdown, which then anchors what the writer committed last.
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            await anchorNow()
        }
        // Shutdown may have begun while the anchor above was being taken, before the writer's
        // last commits: the head at exit is anchored in any case.
        await anchorNow()
    }

    /// One anchor now; failures are logged, never fatal (the log itself is intact either way).
    func anchorNow() async {
        do {
            if let anchor = try await store.anchorHead(at: now()) {
                logger.info("audit head anchored", metadata: ["audit.seq": "\(anchor.seq)", "audit.hash": "\(anchor.hash)"])
            }
        } catch is CancellationError {
            // The service group was cancelled (the server could not start): not a failure to anchor.
        } catch {
            logger.error("could not anchor the audit head", metadata: ["error": "\(error)", "file": "\(store.anchorFile.path)"])
        }
    }
}
