import Hummingbird
import Prometheus
import TraingateStore

/// `/healthz` (the process answers), `/readyz` (storage open, migrated and writable),
/// `/metrics` (Prometheus).
struct OperationsController: Sendable {
    let database: AppDatabase
    let writability: WritabilityProbe
    let registry: PrometheusCollectorRegistry?

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/healthz", in: catalog, allowing: [.anyone]) { _, _ in try JSONResponse.make(.ok, ["status": "ok"]) }
        router.route(.get, "/readyz", in: catalog, allowing: [.anyone], use: ready)
        router.route(.get, "/metrics", in: catalog, allowing: [.submitter, .auditor, .trainer, .dpo, .admin], use: metrics)
    }

    @Sendable func ready(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let migrated = (try? await database.isMigrated()) ?? false
        guard migrated else { throw ProblemDetails(.notReady, detail: "The database is not open or not migrated.") }
        if let problem = await writability.problem() {
            context.logger.error("not ready: the database cannot be written", metadata: ["error": "\(problem)"])
            throw ProblemDetails(.notReady, detail: "The database cannot be written (full disk, read-only file?); see the log.")
        }
        return try JSONResponse.make(.ok, ["status": "ready"])
    }

    @Sendable func metrics(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        var bytes: [UInt8] = []
        registry?.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
