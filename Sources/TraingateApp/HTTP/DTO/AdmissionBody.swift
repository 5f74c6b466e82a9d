import StrictDocuments
import TraingateStore

/// The response of `POST /v1/admissions` and `GET /v1/admissions/{admission_id}`.
struct AdmissionBody {
    struct PolicyRef: Encodable {
        let id: String
        let version: String
    }

    struct AuditRef: Encodable {
        let seq: Int64
        let hash: String
    }

    struct ImageRef: Encodable {
        let sha256: String
        let bytes: Int
        let contentType: String

        enum CodingKeys: String, CodingKey {
            case sha256, bytes
            case contentType = "content_type"
        }
    }

    let admissionID: String
    let source: String
    let imageID: String
    let decision: String
    let reasons: [ReasonBody]
    let jurisdictions: [String]
    let signals: [SignalBody]
    let policy: PolicyRef
    let audit: AuditRef
    let queued: Bool
    let decidedAt: String
    let image: ImageRef?
    /// Only on `GET`: the newer decision for the same key, or null.
    let supersededBy: String??

    init(_ admission: StoredAdmission, includeSupersededBy: Bool = false) {
        admissionID = admission.id
        source = admission.source
        imageID = admission.imageID
        decision = admission.verdict.rawValue
        reasons = admission.reasons.map(ReasonBody.init)
        jurisdictions = admission.jurisdictions
        signals = admission.signals.map(SignalBody.init)
        policy = PolicyRef(id: admission.policyID, version: admission.policyVersion)
        audit = AuditRef(seq: admission.auditSeq, hash: admission.auditHash)
        queued = admission.queued
        decidedAt = admission.decidedAt
        image = admission.imageSHA256.map {
            ImageRef(sha256: $0, bytes: admission.imageByteCount ?? 0, contentType: admission.imageContentType ?? "")
        }
        supersededBy = includeSupersededBy ? .some(admission.supersededBy) : .none
    }

    /// The body as a JSON value (the hot path writes it with `CanonicalJSON`).
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "admission_id": .string(admissionID), "source": .string(source), "image_id": .string(imageID),
            "decision": .string(decision), "reasons": .array(reasons.map(\.json)),
            "jurisdictions": .array(jurisdictions.map(JSONValue.string)), "signals": .array(signals.map(\.json)),
            "policy": .object(["id": .string(policy.id), "version": .string(policy.version)]),
            "audit": .object(["seq": .number(Double(audit.seq)), "hash": .string(audit.hash)]),
            "queued": .bool(queued), "decided_at": .string(decidedAt),
            "image": image.map {
                .object([
                    "sha256": .string($0.sha256), "bytes": .number(Double($0.bytes)), "content_type": .string($0.contentType),
                ])
            } ?? .null,
        ]
        if let supersededBy { object["superseded_by"] = supersededBy.map(JSONValue.string) ?? .null }
        return .object(object)
    }
}
