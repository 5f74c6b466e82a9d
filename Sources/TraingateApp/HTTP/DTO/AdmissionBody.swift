import TraingateStore

/// The response of `POST /v1/admissions` and `GET /v1/admissions/{admission_id}`.
struct AdmissionBody: Encodable {
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

    enum CodingKeys: String, CodingKey {
        case source, decision, reasons, jurisdictions, signals, policy, audit, queued, image
        case admissionID = "admission_id"
        case imageID = "image_id"
        case decidedAt = "decided_at"
        case supersededBy = "superseded_by"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(admissionID, forKey: .admissionID)
        try container.encode(source, forKey: .source)
        try container.encode(imageID, forKey: .imageID)
        try container.encode(decision, forKey: .decision)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(jurisdictions, forKey: .jurisdictions)
        try container.encode(signals, forKey: .signals)
        try container.encode(policy, forKey: .policy)
        try container.encode(audit, forKey: .audit)
        try container.encode(queued, forKey: .queued)
        try container.encode(decidedAt, forKey: .decidedAt)
        try container.encode(image, forKey: .image)
        if let supersededBy { try container.encode(supersededBy, forKey: .supersededBy) }
    }
}
