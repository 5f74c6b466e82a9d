/// Canonical JSON bytes: object keys sorted by code point, no whitespace, integers without a
/// fraction, strings escaped minimally. Byte-identical to Python's
/// `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` for the
/// values traingate hashes (strings, integers, booleans, null, arrays, objects), so other
/// languages can recompute every hash.
public enum CanonicalJSON {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output)
        return output
    }

    /// Appends the canonical bytes of `value` to `output`.
    public static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let integer): output.append(contentsOf: String(integer).utf8)
        case .number(let number): writeNumber(number, into: &output)
        case .string(let text): writeString(text, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // UTF-8 byte order is code-point order, and much cheaper to compare.
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(members[key]!, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Integers (exactly representable ones) without a fraction, other numbers as Swift prints them.
    public static func writeNumber(_ number: Double, into output: inout [UInt8]) {
        if number.rounded() == number, abs(number) < 9.007_199_254_740_992e15 {
            output.append(contentsOf: String(Int64(number)).utf8)
        } else {
            output.append(contentsOf: String(number).utf8)
        }
    }

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        writeString(utf8: text.utf8, into: &output)
    }

    /// A JSON string from its UTF-8 bytes, escaped as `encode` escapes strings.
    @inlinable
    public static func writeString<Bytes: Collection<UInt8>>(utf8 bytes: Bytes, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escaping: checked over contiguous bytes (a String's UTF-8 usually
        // is), they are copied whole.
        let copiedWhole = bytes.withContiguousStorageIfAvailable { buffer in
            guard !buffer.contains(where: needsEscape) else { return false }
            output.append(contentsOf: buffer)
            return true
        }
        if copiedWhole != true {
            for byte in bytes { writeEscaped(byte, into: &output) }
        }
        output.append(UInt8(ascii: "\""))
    }

    @usableFromInline
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    @usableFromInline
    static func writeEscaped(_ byte: UInt8, into output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output += [0x5C, 0x22]
        case UInt8(ascii: "\\"): output += [0x5C, 0x5C]
        case 0x0A: output += [0x5C, UInt8(ascii: "n")]
        case 0x0D: output += [0x5C, UInt8(ascii: "r")]
        case 0x09: output += [0x5C, UInt8(ascii: "t")]
        case 0x08: output += [0x5C, UInt8(ascii: "b")]
        case 0x0C: output += [0x5C, UInt8(ascii: "f")]
        case 0x00..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        default: output.append(byte)
        }
    }
}
