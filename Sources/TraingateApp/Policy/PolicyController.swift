import Foundation
import Hummingbird
import PolicyEngine

/// `GET /v1/policy`: the active policy, who runs it, and what each rule checks.
struct PolicyController: Sendable {
    let policy: Policy
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/v1/policy", in: catalog, allowing: [.submitter, .auditor, .trainer], use: show)
    }

    @Sendable func show(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, PolicyBody(policy, at: now()))
    }
}
