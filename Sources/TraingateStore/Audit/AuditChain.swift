import Crypto
import Foundation
import StrictDocuments

/// The audit log's byte format and hash link (docs/audit-format.md). Pure functions, so other
/// implementations can be checked against the same vectors.
public enum AuditChain {
    /// Format version of new entries. Version 1 entries (before sealed facts) keep verifying
    /// under their own canonical form.
    public static let formatVersion = 2

    /// `prev_hash` of the first entry: 32 zero bytes.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The fields an entry's hash covers, before it has a hash.
    public struct Content: Hashable, Sendable {
        public var version: Int
        public var seq: Int64
        public var at: String
        public var kind: AuditEntry.Kind
        public var admissionID: String?
        public var decision: String?
        public var reasonCodes: [String]
        public var policyVersion: String?
        public var subjectRef: String?
        /// AES-256-GCM `nonce ‖ ciphertext ‖ tag` of the facts, under the subject's key (v2).
        public var sealed: [UInt8]?
        /// What the entry records besides a decision, never personal data (v2).
        public var details: JSONValue?

        public init(
            version: Int = AuditChain.formatVersion, seq: Int64, at: String, kind: AuditEntry.Kind,
            admissionID: String? = nil, decision: String? = nil, reasonCodes: [String] = [],
            policyVersion: String? = nil, subjectRef: String? = nil, sealed: [UInt8]? = nil, details: JSONValue? = nil
        ) {
            self.version = version
            self.seq = seq
            self.at = at
            self.kind = kind
            self.admissionID = admissionID
            self.decision = decision
            self.reasonCodes = reasonCodes
            self.policyVersion = policyVersion
            self.subjectRef = subjectRef
            self.sealed = sealed
            self.details = details
        }
    }

    /// Canonical JSON of the content: sorted keys, no whitespace, absent values as null.
    /// Version 2 adds `sealed` (standard base64 with padding) and `details`.
    public static func canonicalBytes(_ content: Content) -> [UInt8] {
        func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }
        var output: [UInt8] = []
        output.reserveCapacity(768)
        CanonicalEntryWriter<[UInt8]>(
            version: content.version, seq: content.seq, at: Array(content.at.utf8), kind: Array(content.kind.rawValue.utf8),
            admissionID: bytes(content.admissionID), decision: bytes(content.decision),
            reasonCodesJSON: CanonicalJSON.encode(.array(content.reasonCodes.map(JSONValue.string))),
            policyVersion: bytes(content.policyVersion), subjectRef: bytes(content.subjectRef), sealed: content.sealed,
            detailsJSON: content.details.map(CanonicalJSON.encode)
        ).write(into: &output)
        return output
    }

    /// The same bytes through the general encoder (a dictionary with sorted keys): the
    /// definition `CanonicalEntryWriter` is tested against.
    static func canonicalBytesByDefinition(_ content: Content) -> [UInt8] {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        var fields: [String: JSONValue] = [
            "v": .number(Double(content.version)),
            "seq": .number(Double(content.seq)),
            "at": .string(content.at),
            "kind": .string(content.kind.rawValue),
            "admission_id": text(content.admissionID),
            "decision": text(content.decision),
            "reason_codes": .array(content.reasonCodes.map(JSONValue.string)),
            "policy_version": text(content.policyVersion),
            "subject_ref": text(content.subjectRef),
        ]
        if content.version >= 2 {
            fields["sealed"] = text(content.sealed.map { Data($0).base64EncodedString() })
            fields["details"] = content.details ?? .null
        }
        return CanonicalJSON.encode(.object(fields))
    }

    /// `hex(SHA-256(raw(prev_hash) ‖ canonical bytes))`.
    public static func hash(prevHash: String, content: Content) -> String {
        Hex.encode(digest(prevHash: Hex.decode(prevHash) ?? [], content: content))
    }

    /// `SHA-256(raw(prev_hash) ‖ canonical bytes)`, from the raw previous hash (the form the
    /// log stores, so an append converts nothing).
    package static func digest(prevHash: [UInt8], content: Content) -> SHA256.Digest {
        var hasher = SHA256()
        hasher.update(data: prevHash)
        hasher.update(data: canonicalBytes(content))
        return hasher.finalize()
    }

    /// The entry that follows `head` (nil for the first).
    public static func entry(after head: (seq: Int64, hash: String)?, content: Content) -> AuditEntry {
        let prevHash = head?.hash ?? genesisHash
        return AuditEntry(content: content, prevHash: prevHash, hash: hash(prevHash: prevHash, content: content))
    }
}
