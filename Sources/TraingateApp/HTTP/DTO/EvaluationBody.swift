import PolicyEngine
import StrictDocuments

/// The response of `POST /v1/policy/evaluate`: a decision that was not recorded.
struct EvaluationBody: Encodable {
    let source: String
    let imageID: String
    let decision: String
    let reasons: [ReasonBody]
    let jurisdictions: [String]
    let signals: [SignalBody]
    let policy: AdmissionBody.PolicyRef
    let decidedAt: String

    init(request: AdmissionRequest, evaluation: AdmissionService.Evaluation) {
        source = request.source
        imageID = request.imageID
        decision = evaluation.decision.verdict.rawValue
        reasons = evaluation.decision.reasons.map(ReasonBody.init)
        jurisdictions = evaluation.decision.jurisdictions
        signals = evaluation.signals.map(SignalBody.init)
        policy = .init(id: evaluation.decision.policyID, version: evaluation.decision.policyVersion)
        decidedAt = Timestamp.format(evaluation.decidedAt)
    }

    enum CodingKeys: String, CodingKey {
        case source, decision, reasons, jurisdictions, signals, policy
        case imageID = "image_id"
        case decidedAt = "decided_at"
    }
}
