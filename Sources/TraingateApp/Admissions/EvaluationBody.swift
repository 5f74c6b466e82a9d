import PolicyEngine
import StrictDocuments
import TraingateStore

/// The response of `POST /v1/policy/evaluate`: a decision that was not recorded, so it has no
/// `admission_id`, `audit` or `queued`.
struct EvaluationBody {
    let request: AdmissionRequest
    let evaluation: AdmissionService.Evaluation

    var json: JSONValue {
        let decision = evaluation.decision
        return .object([
            "source": .string(request.source), "image_id": .string(request.imageID),
            "decision": .string(decision.verdict.rawValue), "reasons": .array(decision.reasons.map(\.json)),
            "jurisdictions": .array(decision.jurisdictions.map(JSONValue.string)),
            "signals": .array(evaluation.signals.map { StoredSignal($0).json }),
            "policy": .object(["id": .string(decision.policyID), "version": .string(decision.policyVersion)]),
            "decided_at": .string(Timestamp.format(evaluation.decidedAt)),
            "image": evaluation.image.map { ImageUpload(intake: $0).info.json } ?? .null,
        ])
    }
}
