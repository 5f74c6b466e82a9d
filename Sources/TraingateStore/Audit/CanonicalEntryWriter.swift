import StrictDocuments

/// Writes an entry's canonical bytes (docs/audit-format.md) straight from its fields' UTF-8
/// bytes into a reusable buffer.
///
/// The general `CanonicalJSON.encode` builds a dictionary and sorts its keys for every entry;
/// verification hashes millions of entries, so here the key order is fixed in code. Reason
/// codes and details arrive as their canonical JSON text (which is how they are stored).
/// `AuditChainTests` checks that both writers give the same bytes.
struct CanonicalEntryWriter<Bytes: Collection<UInt8>> {
    var version: Int
    var seq: Int64
    var at: Bytes
    var kind: Bytes
    var admissionID: Bytes?
    var decision: Bytes?
    var reasonCodesJSON: Bytes
    var policyVersion: Bytes?
    var subjectRef: Bytes?
    var sealed: Bytes?
    var detailsJSON: Bytes?

    /// Appends the canonical bytes to `output`. Keys in code-point order: admission_id, at,
    /// decision, details (v2), kind, policy_version, reason_codes, sealed (v2), seq, subject_ref, v.
    func write(into output: inout [UInt8]) {
        output.append(contentsOf: #"{"admission_id":"#.utf8)
        string(admissionID, into: &output)
        output.append(contentsOf: #","at":"#.utf8)
        string(at, into: &output)
        output.append(contentsOf: #","decision":"#.utf8)
        string(decision, into: &output)
        if version >= 2 {
            output.append(contentsOf: #","details":"#.utf8)
            if let detailsJSON { output.append(contentsOf: detailsJSON) } else { output.append(contentsOf: "null".utf8) }
        }
        output.append(contentsOf: #","kind":"#.utf8)
        string(kind, into: &output)
        output.append(contentsOf: #","policy_version":"#.utf8)
        string(policyVersion, into: &output)
        output.append(contentsOf: #","reason_codes":"#.utf8)
        output.append(contentsOf: reasonCodesJSON)
        if version >= 2 {
            output.append(contentsOf: #","sealed":"#.utf8)
            if let sealed {
                output.append(UInt8(ascii: "\""))
                Self.base64(sealed, into: &output)
                output.append(UInt8(ascii: "\""))
            } else {
                output.append(contentsOf: "null".utf8)
            }
        }
        output.append(contentsOf: #","seq":"#.utf8)
        output.append(contentsOf: String(seq).utf8)
        output.append(contentsOf: #","subject_ref":"#.utf8)
        string(subjectRef, into: &output)
        output.append(contentsOf: #","v":"#.utf8)
        output.append(contentsOf: String(version).utf8)
        output.append(UInt8(ascii: "}"))
    }

    private func string(_ value: Bytes?, into output: inout [UInt8]) {
        if let value { CanonicalJSON.writeString(utf8: value, into: &output) } else { output.append(contentsOf: "null".utf8) }
    }

    private static var alphabet: StaticString { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" }

    /// Standard base64 with padding (RFC 4648 §4), written in place: Foundation's encoder
    /// allocates a new string per call, and a byte-by-byte iterator cost a sixth of
    /// verification's time in a profile.
    static func base64(_ bytes: Bytes, into output: inout [UInt8]) {
        if bytes.withContiguousStorageIfAvailable({ base64(UnsafeRawBufferPointer($0), into: &output) }) == nil {
            Array(bytes).withUnsafeBytes { base64($0, into: &output) }
        }
    }

    private static func base64(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let count = input.count
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: (count + 2) / 3 * 4))
        alphabet.withUTF8Buffer { table in
            output.withUnsafeMutableBufferPointer { out in
                var read = 0
                var write = start
                // Whole groups of three bytes, then the padded tail.
                while read + 3 <= count {
                    let group = UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8 | UInt32(input[read + 2])
                    out[write] = table[Int(group >> 18)]
                    out[write + 1] = table[Int(group >> 12 & 0x3F)]
                    out[write + 2] = table[Int(group >> 6 & 0x3F)]
                    out[write + 3] = table[Int(group & 0x3F)]
                    read += 3
                    write += 4
                }
                let remaining = count - read
                guard remaining > 0 else { return }
                let group = UInt32(input[read]) << 16 | (remaining > 1 ? UInt32(input[read + 1]) << 8 : 0)
                out[write] = table[Int(group >> 18)]
                out[write + 1] = table[Int(group >> 12 & 0x3F)]
                out[write + 2] = remaining > 1 ? table[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                out[write + 3] = UInt8(ascii: "=")
            }
        }
    }
}
