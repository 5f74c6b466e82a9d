/// Lower-case hexadecimal, the form every hash takes in traingate's API, database and audit log.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of an even-length hex string, or nil if it is not one. Reads the string's UTF-8
    /// in place and writes the bytes once: the store decodes several hashes per decision.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { characters -> [UInt8]? in
            guard characters.count % 2 == 0 else { return nil }
            var valid = true
            let bytes = [UInt8](unsafeUninitializedCapacity: characters.count / 2) { buffer, initialized in
                initialized = 0
                while initialized < buffer.count {
                    guard let high = value(of: characters[2 * initialized]), let low = value(of: characters[2 * initialized + 1]) else {
                        valid = false
                        return
                    }
                    buffer[initialized] = high << 4 | low
                    initialized += 1
                }
            }
            return valid ? bytes : nil
        }
    }

    /// The value of one hexadecimal digit, either case.
    static func value(of character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x61...0x66: character - 0x61 + 10
        case 0x41...0x46: character - 0x41 + 10
        default: nil
        }
    }
}
