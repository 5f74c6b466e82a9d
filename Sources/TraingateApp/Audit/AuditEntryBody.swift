import Foundation
import StrictDocuments
import TraingateStore

/// An audit entry as the API and the exports show it: every field the hash covers, so a
/// verifier can recompute the chain from an export alone (docs/audit-format.md).
struct AuditEntryBody {
    let entry: AuditEntry

    var json: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return .object([
            "v": .number(Double(entry.version)),
            "seq": .number(Double(entry.seq)),
            "at": .string(entry.at),
            "kind": .string(entry.kind.rawValue),
            "admission_id": text(entry.admissionID),
            "decision": text(entry.decision),
            "reason_codes": .array(entry.reasonCodes.map(JSONValue.string)),
            "policy_version": text(entry.policyVersion),
            "subject_ref": text(entry.subjectRef),
            "sealed": text(entry.sealed.map { Data($0).base64EncodedString() }),
            "details": entry.details ?? .null,
            "prev_hash": .string(entry.prevHash),
            "hash": .string(entry.hash),
        ])
    }

    /// CSV columns, in this order.
    static let csvHeader = [
        "seq", "v", "at", "kind", "admission_id", "decision", "reason_codes", "policy_version", "subject_ref", "sealed",
        "details", "prev_hash", "hash",
    ]

    /// One CSV record (RFC 4180). Lists and objects are their canonical JSON; null is an empty cell.
    var csvFields: [String] {
        [
            String(entry.seq), String(entry.version), entry.at, entry.kind.rawValue, entry.admissionID ?? "",
            entry.decision ?? "", String(decoding: CanonicalJSON.encode(.array(entry.reasonCodes.map(JSONValue.string))), as: UTF8.self),
            entry.policyVersion ?? "", entry.subjectRef ?? "", entry.sealed.map { Data($0).base64EncodedString() } ?? "",
            entry.details.map { String(decoding: CanonicalJSON.encode($0), as: UTF8.self) } ?? "", entry.prevHash, entry.hash,
        ]
    }
}
