import Crypto
import Foundation
import StrictDocuments

/// The audit log's byte format and hash link (docs/audit-format.md). Pure functions, so other
/// implementations can be checked against the same vectors.
public enum AuditChain {
    /// Format version, part of every entry's canonical bytes.
    public static let formatVersion = 1

    /// `prev_hash` of the first entry: 32 zero bytes.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The fields an entry's hash covers, before it has a hash.
    public struct Content: Hashable, Sendable {
        public var seq: Int64
        public var at: String
        public var kind: AuditEntry.Kind
        public var admissionID: String?
        public var decision: String?
        public var reasonCodes: [String]
        public var policyVersion: String?
        public var subjectRef: String?

        public init(
            seq: Int64, at: String, kind: AuditEntry.Kind, admissionID: String? = nil, decision: String? = nil,
            reasonCodes: [String] = [], policyVersion: String? = nil, subjectRef: String? = nil
        ) {
            self.seq = seq
            self.at = at
            self.kind = kind
            self.admissionID = admissionID
            self.decision = decision
            self.reasonCodes = reasonCodes
            self.policyVersion = policyVersion
            self.subjectRef = subjectRef
        }
    }

    /// Canonical JSON of the content: sorted keys, no whitespace, absent values as null.
    public static func canonicalBytes(_ content: Content) -> [UInt8] {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return CanonicalJSON.encode(
            .object([
                "v": .number(Double(formatVersion)),
                "seq": .number(Double(content.seq)),
                "at": .string(content.at),
                "kind": .string(content.kind.rawValue),
                "admission_id": text(content.admissionID),
                "decision": text(content.decision),
                "reason_codes": .array(content.reasonCodes.map(JSONValue.string)),
                "policy_version": text(content.policyVersion),
                "subject_ref": text(content.subjectRef),
            ]))
    }

    /// `hex(SHA-256(raw(prev_hash) ‖ canonical bytes))`.
    public static func hash(prevHash: String, content: Content) -> String {
        var hasher = SHA256()
        hasher.update(data: Hex.decode(prevHash) ?? [])
        hasher.update(data: canonicalBytes(content))
        return Hex.encode(hasher.finalize())
    }

    /// The entry that follows `head` (nil for the first).
    public static func entry(after head: (seq: Int64, hash: String)?, content: Content) -> AuditEntry {
        let prevHash = head?.hash ?? genesisHash
        return AuditEntry(
            seq: content.seq, at: content.at, kind: content.kind, admissionID: content.admissionID,
            decision: content.decision, reasonCodes: content.reasonCodes, policyVersion: content.policyVersion,
            subjectRef: content.subjectRef, prevHash: prevHash, hash: hash(prevHash: prevHash, content: content))
    }
}
