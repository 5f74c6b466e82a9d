/// A JSON document as plain values, so validators can walk it, name every unknown or bad
/// field, and report all problems at once (Codable stops at the first one).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number written as an integer (no fraction, no exponent).
    case integer(Int)
    /// A number written with a fraction or an exponent.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses UTF-8 JSON bytes strictly (`StrictJSONParser`); throws `DocumentError` saying
    /// what is wrong in the request's terms. `maxValues` bounds the values in the document (a
    /// route whose body is a long list, a recheck of 10,000 ids, raises it).
    public static func parse(_ bytes: some Collection<UInt8>, maxValues: Int = maxValues) throws -> JSONValue {
        try StrictJSONParser.parse(Array(bytes), maxValues: maxValues)
    }

    /// Deepest nesting of arrays and objects a document may have; traingate's deepest is 4.
    public static let maxDepth = 64

    /// Most values (of any kind, nested ones included) in one document. An admission has about
    /// 40; a body of millions of tiny values would otherwise cost memory out of all proportion
    /// to its bytes.
    public static let maxValues = 10_000

    /// The value of a number, however it was written.
    public var numberValue: Double? {
        switch self {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Numbers are equal by value, however they were written (`1` and `1.0`), as in JSON.
    public static func == (left: JSONValue, right: JSONValue) -> Bool {
        switch (left, right) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: left.numberValue != nil && left.numberValue == right.numberValue
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(flag)
        case .integer, .number: hasher.combine(numberValue)
        case .string(let text): hasher.combine(text)
        case .array(let items): hasher.combine(items)
        case .object(let members): hasher.combine(members)
        }
    }
}
