import StrictDocuments
import TraingateStore

/// `GET /v1/audit/verify`: `{"ok": true, "entries": N, "head": {"seq", "hash"}}`, or `ok` false
/// with `first_bad_seq` and the last entry that did verify as `head`.
struct AuditVerificationBody {
    let verification: AuditVerification

    init(_ verification: AuditVerification) {
        self.verification = verification
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "ok": .bool(verification.ok),
            "entries": .number(Double(verification.entries)),
            "head": verification.head.map { .object(["seq": .number(Double($0.seq)), "hash": .string($0.hash)]) } ?? .null,
        ]
        object["anchors_checked"] = .number(Double(verification.anchorsChecked))
        if let bad = verification.firstBadSeq { object["first_bad_seq"] = .number(Double(bad)) }
        if let problem = verification.problem { object["problem"] = .string(problem) }
        return .object(object)
    }
}
