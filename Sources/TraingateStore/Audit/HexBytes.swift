/// Lower-case hex on raw bytes, without the strings `Hex` works with: the verifier's inner loop
/// handles two 64-digit hashes per entry.
enum HexBytes {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Value of each byte as a lower-case hex digit; 0xFF for anything else.
    private static let values: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        default: 0xFF
        }
    }

    /// Decodes 2×`output.count` hex digits into `output`; false on any other character.
    static func decode(_ hex: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Bool {
        guard hex.count == output.count * 2 else { return false }
        return values.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { out in
                var invalid: UInt8 = 0
                for index in 0..<out.count {
                    let high = table[Int(hex[2 * index])]
                    let low = table[Int(hex[2 * index + 1])]
                    invalid |= (high | low) & 0xF0
                    out[index] = high << 4 | low
                }
                return invalid == 0
            }
        }
    }

    /// True when `hex` is exactly the lower-case hex of `bytes`.
    static func matches(_ bytes: UnsafeRawBufferPointer, hex: UnsafeRawBufferPointer) -> Bool {
        guard hex.count == bytes.count * 2 else { return false }
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard hex[2 * index] == digits[Int(byte >> 4)], hex[2 * index + 1] == digits[Int(byte & 0x0F)] else { return false }
        }
        return true
    }
}
