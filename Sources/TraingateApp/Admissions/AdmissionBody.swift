import StrictDocuments
import TraingateStore

/// The response of `POST /v1/admissions` and `GET /v1/admissions/{admission_id}`, and a batch
/// answer line: a recorded decision, written by `DecisionDocument`.
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
        DecisionDocument(
            record: .init(admissionID: admission.id, auditHash: admission.auditHash, auditSeq: admission.auditSeq, queued: admission.queued),
            decidedAt: admission.decidedAt, verdict: admission.verdict.rawValue, image: admission.image?.json ?? .null,
            imageID: admission.imageID, jurisdictions: admission.jurisdictions, policyID: admission.policyID,
            policyVersion: admission.policyVersion, reasons: admission.reasons.map(\.json), signals: admission.signals.map(\.json),
            source: admission.source, status: status,
            supersededBy: includeSupersededBy ? admission.supersededBy.map(JSONValue.string) ?? .null : nil,
            erasedAt: admission.erasedAt
        ).bytes()
    }
}
