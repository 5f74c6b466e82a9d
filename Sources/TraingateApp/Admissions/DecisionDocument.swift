import StrictDocuments

/// A decision as the API writes it, for every answer that carries one: a new or stored admission
/// (single requests and batch lines) and an evaluation. One writer, so that the three answers
/// cannot drift apart. Members are written in canonical key order (sorted, compact): the same
/// bytes `CanonicalJSON` gives the equivalent dictionary, without building and sorting one per
/// request.
struct DecisionDocument {
    /// What only a recorded decision has.
    struct Record {
        let admissionID: String
        let auditHash: String
        let auditSeq: Int64
        let queued: Bool
    }

    var record: Record?
    let decidedAt: String
    let verdict: String
    let image: JSONValue
    let imageID: String
    let jurisdictions: [String]
    let policyID: String
    let policyVersion: String
    let reasons: [JSONValue]
    let signals: [JSONValue]
    let source: String
    /// The HTTP status a batch line reports for its admission.
    var status: Int?
    /// `GET /v1/admissions/{id}` shows the newer decision for the same key, or null.
    var supersededBy: JSONValue?
    /// `GET /v1/admissions/{id}` of an erased decision says when it was erased.
    var erasedAt: String?

    func bytes() -> [UInt8] {
        var body = CanonicalObjectWriter()
        if let record {
            body.string("admission_id", record.admissionID)
            body.object("audit") { audit in
                audit.string("hash", record.auditHash)
                audit.number("seq", Double(record.auditSeq))
            }
        }
        body.string("decided_at", decidedAt)
        body.string("decision", verdict)
        if let erasedAt { body.string("erased_at", erasedAt) }
        body.value("image", image)
        body.string("image_id", imageID)
        body.strings("jurisdictions", jurisdictions)
        body.object("policy") { policy in
            policy.string("id", policyID)
            policy.string("version", policyVersion)
        }
        if let record { body.bool("queued", record.queued) }
        body.value("reasons", .array(reasons))
        body.value("signals", .array(signals))
        body.string("source", source)
        body.number("status", status.map(Double.init))
        if let supersededBy { body.value("superseded_by", supersededBy) }
        return body.finished()
    }
}
