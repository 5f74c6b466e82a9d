import Foundation

/// A JSON document as plain values, so validators can walk it, name every unknown or bad
/// field, and report all problems at once (Codable stops at the first one).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses UTF-8 JSON bytes; throws `DocumentError` with the parser's explanation.
    ///
    /// Uses `JSONSerialization` rather than `JSONDecoder`: Codable cannot ask a value for its
    /// type, so decoding an untyped document costs a thrown error per guess, about 5× the time
    /// (32 µs against 6 µs for a typical admission body on this machine).
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        // JSONSerialization recurses once per level: a body of a few hundred kilobytes of `[`
        // would otherwise be parsed (and converted) to a depth no document here needs.
        if nestsDeeper(than: maxDepth, bytes) {
            throw DocumentError(path: "", message: "body nests arrays and objects deeper than \(maxDepth) levels")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "unreadable"
            throw DocumentError(path: "", message: "body is not valid JSON: \(detail)")
        }
        return JSONValue(foundation: object)
    }

    /// Deepest nesting of arrays and objects a document may have; traingate's deepest is 4.
    public static let maxDepth = 64

    /// Whether arrays and objects nest deeper than `limit`, counted over the bytes (brackets
    /// inside strings skipped), stopping as soon as it is known.
    static func nestsDeeper(than limit: Int, _ bytes: some Collection<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }

    private static let booleanType = type(of: NSNumber(value: true))

    /// Converts what `JSONSerialization` returns; booleans are told from numbers by their class.
    private init(foundation value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let object as [String: Any]: self = .object(object.mapValues(JSONValue.init(foundation:)))
        case let array as [Any]: self = .array(array.map(JSONValue.init(foundation:)))
        case let number as NSNumber:
            self = type(of: number) == Self.booleanType ? .bool(number.boolValue) : .number(number.doubleValue)
        default: self = .null
        }
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
