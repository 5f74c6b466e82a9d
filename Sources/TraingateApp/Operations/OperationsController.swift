import Hummingbird
import Foundation
import TraingateStore

/// `/healthz` (the process answers), `/readyz` (storage open, migrated and writable),
/// `/metrics` (Prometheus).
struct OperationsController: Sendable {
    let health: any StoreHealth
    let metrics: ServiceMetrics?
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/healthz", in: catalog, allowing: [.anyone]) { _, _ in try JSONResponse.make(.ok, ["status": "ok"]) }
        router.route(.get, "/readyz", in: catalog, allowing: [.anyone], use: ready)
        router.route(.get, "/metrics", in: catalog, allowing: [.submitter, .auditor, .trainer, .dpo, .admin], use: metrics)
    }

    @Sendable func ready(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        guard await health.isMigrated() else { throw ProblemDetails(.notReady, detail: "The database is not open or not migrated.") }
        if let problem = await health.writeProblem() {
            context.logger.error("not ready: the database cannot be written", metadata: ["error": "\(problem)"])
            throw ProblemDetails(.notReady, detail: "The database cannot be written (full disk, read-only file?); see the log.")
        }
        return try JSONResponse.make(.ok, ["status": "ready"])
    }

    @Sendable func metrics(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        guard let metrics else {
            throw ProblemDetails(.notFound, detail: "Metrics are turned off on this server (http.metrics_enabled).")
        }
        // What the store holds is read now rather than kept up to date on every write. A read
        // that fails leaves those gauges as they were: the scrape must still show the storage
        // errors, which are what an operator looks for then.
        do {
            let levels = try await health.levels()
            metrics.queue.refresh(levels)
            metrics.audit.refresh(headSeq: levels.auditHeadSeq, at: now())
        } catch {
            context.logger.warning("metrics: could not read the queue and the audit head", metadata: ["error": "\(error)"])
        }
        var bytes: [UInt8] = []
        metrics.registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
