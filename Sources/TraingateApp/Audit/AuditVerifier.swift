import Foundation
import Logging
import ServiceLifecycle
import TraingateStore

/// Verifies the whole audit chain at start and every `interval` after, so that tampering (or a
/// damaged disk) is found by the service itself and shows in `/metrics`, not only when an
/// auditor happens to look. A broken chain is logged as critical every time it is found.
struct AuditVerifier: Service {
    let store: any AuditLogStore
    let interval: Duration
    let metrics: AuditMetrics?
    let logger: Logger
    let now: @Sendable () -> Date

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await verifyNow()
            // The sleep ends early at shutdown.
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    func verifyNow() async {
        do {
            let verification = try await store.verify()
            metrics?.verified(verification, at: now())
            if verification.ok {
                logger.info("audit chain verified", metadata: ["audit.entries": "\(verification.entries)"])
            } else {
                logger.critical(
                    "audit chain verification failed: the log was changed outside traingate",
                    metadata: [
                        "audit.first_bad_seq": "\(verification.firstBadSeq.map(String.init) ?? "-")",
                        "problem": "\(verification.problem ?? "-")",
                    ])
            }
        } catch is CancellationError {
            // Stopped mid-way: the verification did not fail.
        } catch {
            metrics?.record(.failed, at: now())
            logger.error("could not verify the audit chain", metadata: ["error": "\(error)"])
        }
    }
}
