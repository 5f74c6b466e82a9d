import Foundation
import Hummingbird
import PolicyEngine
import StrictDocuments

/// `POST /v1/policy/evaluate`: an admission's decision as a dry run (decides, records nothing),
/// now or as of `?at=`.
struct EvaluationController: Sendable {
    let service: AdmissionService
    let decoder: AdmissionRequestDecoder

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(
            .post, "/v1/policy/evaluate", in: catalog, allowing: [.submitter, .auditor], maxBodyBytes: decoder.maxBodyBytes, bodyLimit: .imageBytes,
            query: ["at"],
            use: evaluate)
    }

    /// `?at=INSTANT` (RFC 3339 with an offset) evaluates as of that instant: what the policy
    /// said then, for an auditor; default now.
    @Sendable func evaluate(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        // A bad `at` and bad body fields are reported together, in one answer.
        let body: Result<AdmissionRequest, any Error>
        do { body = .success(try await decoder.decode(request)) } catch { body = .failure(error) }
        let instant: Date?
        do {
            instant = try Self.instant(request.uri.queryParameters.get("at"))
        } catch let atProblem as ProblemDetails {
            guard case .failure(let error) = body, let bodyProblem = error as? ProblemDetails, bodyProblem.status == .badRequest,
                let fields = bodyProblem.errors
            else { throw atProblem }
            throw ProblemDetails(validation: ((atProblem.errors ?? []) + fields).map { DocumentError(path: $0.field, message: $0.message) })
        }
        let admission = try body.get()
        let evaluation = try await service.evaluate(admission, at: instant)
        return JSONResponse.make(.ok, canonicalBytes: EvaluationBody(request: admission, evaluation: evaluation).bytes())
    }

    private static func instant(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        // A '+' left unescaped in a query string arrives as a space.
        guard let instant = Timestamp.parse(text) ?? Timestamp.parse(text.replacingOccurrences(of: " ", with: "+")) else {
            throw ProblemDetails(
                validation: [
                    DocumentError(path: "at", message: "'\(text)' is not an RFC 3339 instant with an offset (e.g. 2023-09-01T00:00:00+02:00)")
                ])
        }
        return instant
    }
}
