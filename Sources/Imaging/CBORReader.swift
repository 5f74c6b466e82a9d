import Foundation
import StrictDocuments

/// A bounded reader of the CBOR (RFC 8949) in C2PA assertions, into `JSONValue`: maps with
/// text keys, arrays, text, integers, floats, booleans and null. Byte strings become their
/// base64 text and tags are read through. Indefinite lengths, which C2PA's deterministic
/// encoding never uses, are refused, as is anything nested deeper than `maxDepth` or holding
/// more than `maxItems` items: a hostile assertion costs at most that much.
struct CBORReader {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    private let bytes: ArraySlice<UInt8>
    private var offset: Int
    private var items = 0
    private let maxDepth: Int
    private let maxItems: Int

    static func read(_ bytes: ArraySlice<UInt8>, maxDepth: Int = 32, maxItems: Int = 10_000) throws -> JSONValue {
        var reader = CBORReader(bytes: bytes, offset: bytes.startIndex, maxDepth: maxDepth, maxItems: maxItems)
        return try reader.value(depth: 0)
    }

    private init(bytes: ArraySlice<UInt8>, offset: Int, maxDepth: Int, maxItems: Int) {
        self.bytes = bytes
        self.offset = offset
        self.maxDepth = maxDepth
        self.maxItems = maxItems
    }

    private mutating func byte() throws -> UInt8 {
        guard offset < bytes.endIndex else { throw Malformed(description: "CBOR ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func take(_ count: UInt64) throws -> ArraySlice<UInt8> {
        guard count <= UInt64(bytes.endIndex - offset) else { throw Malformed(description: "CBOR length past the end") }
        defer { offset += Int(count) }
        return bytes[offset..<(offset + Int(count))]
    }

    /// The argument of an initial byte: the value itself, or the 1, 2, 4 or 8 bytes after it.
    private mutating func argument(_ additional: UInt8) throws -> UInt64 {
        switch additional {
        case 0..<24: return UInt64(additional)
        case 24...27: return try take(1 << UInt64(additional - 24)).reduce(0) { $0 << 8 | UInt64($1) }
        default: throw Malformed(description: "CBOR indefinite or reserved length")
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw Malformed(description: "CBOR nested deeper than \(maxDepth)") }
        items += 1
        guard items <= maxItems else { throw Malformed(description: "CBOR with more than \(maxItems) items") }
        let initial = try byte()
        let (major, additional) = (initial >> 5, initial & 0x1F)
        if major == 7 { return try simple(additional) }
        let argument = try argument(additional)
        switch major {
        case 0: return argument <= UInt64(Int.max) ? .integer(Int(argument)) : .number(Double(argument))
        case 1: return argument < UInt64(Int.max) ? .integer(-1 - Int(argument)) : .number(-1 - Double(argument))
        case 2: return .string(Data(try take(argument)).base64EncodedString())
        case 3:
            guard let text = String(validating: try take(argument), as: UTF8.self) else { throw Malformed(description: "CBOR text not UTF-8") }
            return .string(text)
        case 4:
            guard argument <= UInt64(maxItems) else { throw Malformed(description: "CBOR array too long") }
            return .array(try (0..<argument).map { _ in try value(depth: depth + 1) })
        case 5:
            guard argument <= UInt64(maxItems) else { throw Malformed(description: "CBOR map too long") }
            var fields: [String: JSONValue] = [:]
            for _ in 0..<argument {
                guard case .string(let key) = try value(depth: depth + 1) else { throw Malformed(description: "CBOR map key not text") }
                fields[key] = try value(depth: depth + 1)
            }
            return .object(fields)
        default:  // 6: a tag; its content is what matters here
            return try value(depth: depth + 1)
        }
    }

    private mutating func simple(_ additional: UInt8) throws -> JSONValue {
        switch additional {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22, 23: return .null
        case 25: return .number(Double(Float16(bitPattern: UInt16(try argument(25)))))
        case 26: return .number(Double(Float(bitPattern: UInt32(try argument(26)))))
        case 27: return .number(Double(bitPattern: try argument(27)))
        default: throw Malformed(description: "CBOR simple value \(additional)")
        }
    }
}
