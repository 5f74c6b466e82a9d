import PolicyEngine
import StrictDocuments
import TraingateStore

/// The response of `POST /v1/policy/evaluate`: a decision that was not recorded, so it has no
/// `admission_id`, `audit` or `queued`; written by `DecisionDocument`.
struct EvaluationBody {
    let request: AdmissionRequest
    let evaluation: AdmissionService.Evaluation

    func bytes() -> [UInt8] {
        let decision = evaluation.decision
        return DecisionDocument(
            decidedAt: Timestamp.format(evaluation.decidedAt), verdict: decision.verdict.rawValue,
            image: evaluation.image.map { ImageUpload(intake: $0).info.json } ?? .null, imageID: request.imageID,
            jurisdictions: decision.jurisdictions, policyID: decision.policyID, policyVersion: decision.policyVersion,
            reasons: decision.reasons.map(\.json), signals: evaluation.facts.signals.map { StoredSignal($0).json }, source: request.source
        ).bytes()
    }
}
