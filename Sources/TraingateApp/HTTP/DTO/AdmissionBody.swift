import StrictDocuments
import TraingateStore

/// The response of `POST /v1/admissions` and `GET /v1/admissions/{admission_id}`, built as a
/// `JSONValue` and written by `CanonicalJSON` (a fraction of `JSONEncoder`'s cost on this hot path).
struct AdmissionBody {
    let admission: StoredAdmission
    /// `GET` shows `superseded_by` (the newer decision for the same key, or null).
    let includeSupersededBy: Bool

    init(_ admission: StoredAdmission, includeSupersededBy: Bool = false) {
        self.admission = admission
        self.includeSupersededBy = includeSupersededBy
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "admission_id": .string(admission.id), "source": .string(admission.source),
            "image_id": .string(admission.imageID), "decision": .string(admission.verdict.rawValue),
            "reasons": .array(admission.reasons.map(\.json)),
            "jurisdictions": .array(admission.jurisdictions.map(JSONValue.string)),
            "signals": .array(admission.signals.map(\.json)),
            "policy": .object(["id": .string(admission.policyID), "version": .string(admission.policyVersion)]),
            "audit": .object(["seq": .number(Double(admission.auditSeq)), "hash": .string(admission.auditHash)]),
            "queued": .bool(admission.queued), "decided_at": .string(admission.decidedAt),
            "image": admission.image?.json ?? .null,
        ]
        if includeSupersededBy { object["superseded_by"] = admission.supersededBy.map(JSONValue.string) ?? .null }
        return .object(object)
    }
}
