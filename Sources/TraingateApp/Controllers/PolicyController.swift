import Foundation
import Hummingbird
import PolicyEngine

/// `GET /v1/policy` and `POST /v1/policy/evaluate` (a dry run: decides, records nothing).
struct PolicyController: Sendable {
    let service: AdmissionService
    let decoder: AdmissionRequestDecoder

    func addRoutes(to router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/v1/policy", in: catalog, use: show)
        router.route(.post, "/v1/policy/evaluate", in: catalog, use: evaluate)
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, PolicyBody(service.policy, on: CalendarDay(containing: service.now())))
    }

    @Sendable func evaluate(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let admission = try await decoder.decode(request)
        let evaluation = try await service.evaluate(admission)
        return JSONResponse.make(.ok, json: EvaluationBody(request: admission, evaluation: evaluation).json)
    }
}
