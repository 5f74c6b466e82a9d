import StrictDocuments
import TraingateStore

/// The response of `POST /v1/admissions` and `GET /v1/admissions/{admission_id}`, and a batch
/// answer line, written member by member in canonical key order (sorted, compact): the same bytes
/// `CanonicalJSON` gives the equivalent dictionary, without building and sorting one per request.
struct AdmissionBody {
    let admission: StoredAdmission
    /// `GET` shows `superseded_by` (the newer decision for the same key, or null).
    let includeSupersededBy: Bool

    init(_ admission: StoredAdmission, includeSupersededBy: Bool = false) {
        self.admission = admission
        self.includeSupersededBy = includeSupersededBy
    }

    /// - Parameter status: the HTTP status a batch line reports for its admission.
    func bytes(status: Int? = nil) -> [UInt8] {
        var body = CanonicalObjectWriter()
        body.string("admission_id", admission.id)
        body.object("audit") { audit in
            audit.string("hash", admission.auditHash)
            audit.number("seq", Double(admission.auditSeq))
        }
        body.string("decided_at", admission.decidedAt)
        body.string("decision", admission.verdict.rawValue)
        body.value("image", admission.image?.json ?? .null)
        body.string("image_id", admission.imageID)
        body.strings("jurisdictions", admission.jurisdictions)
        body.object("policy") { policy in
            policy.string("id", admission.policyID)
            policy.string("version", admission.policyVersion)
        }
        body.bool("queued", admission.queued)
        body.value("reasons", .array(admission.reasons.map(\.json)))
        body.value("signals", .array(admission.signals.map(\.json)))
        body.string("source", admission.source)
        body.number("status", status.map(Double.init))
        if includeSupersededBy { body.value("superseded_by", admission.supersededBy.map(JSONValue.string) ?? .null) }
        return body.finished()
    }
}
