/// RFC 8259 JSON, read strictly, into `JSONValue`. Foundation's `JSONSerialization` is lenient
/// where a compliance gate must not be: it keeps the last of two members with the same name
/// (`"visibility":"private","visibility":"public"` read as public), accepts trailing commas and
/// UTF-16, and rounds `17.9999999999999999` to an integer 18. Here:
///
/// - the input must be UTF-8 (checked by the standard library), with no byte-order mark;
/// - a member name may appear once per object (the error names it, by its path);
/// - numbers follow the grammar exactly; those written as integers become `.integer`, others
///   `.number`; a number that cannot be held without changing its value (too large, so small it
///   would become 0, or a non-integer that would round to one) is refused, and so is `-0`;
/// - nesting is bounded (`JSONValue.maxDepth`) and so is the number of values
///   (`JSONValue.maxValues`), so a hostile body costs one linear pass and little memory.
///
/// Errors are `DocumentError`s in the request's terms, with the byte offset where reading stopped.
struct StrictJSONParser: ~Copyable {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var values = 0
    private let maxValues: Int
    /// Member names from the root to the value being read, for naming a duplicate.
    private var path: [String] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, maxValues: Int) {
        self.bytes = bytes
        self.maxValues = maxValues
    }

    static func parse(_ input: [UInt8], maxValues: Int) throws -> JSONValue {
        if input.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw DocumentError(path: "", message: "body starts with a byte-order mark; send UTF-8 JSON without one")
        }
        if input.contains(0) || input.starts(with: [0xFF, 0xFE]) || input.starts(with: [0xFE, 0xFF]) {
            throw DocumentError(path: "", message: "body is not UTF-8 (it looks like UTF-16 or binary); JSON must be UTF-8 (RFC 8259)")
        }
        guard String(validating: input, as: UTF8.self) != nil else {
            throw DocumentError(path: "", message: "body is not valid UTF-8; JSON must be UTF-8 (RFC 8259)")
        }
        return try input.withUnsafeBufferPointer { buffer in
            var parser = StrictJSONParser(bytes: buffer, maxValues: maxValues)
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.failure("unexpected text after the JSON value") }
            return value
        }
    }

    // MARK: Values

    private mutating func value(depth: Int) throws -> JSONValue {
        values += 1
        guard values <= maxValues else {
            throw DocumentError(path: "", message: "body holds more than \(maxValues) values")
        }
        guard index < bytes.count else { throw failure("the body ends where a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure(members.isEmpty ? "expected a member name in double quotes" : "expected a member name after ',' (no trailing commas)")
            }
            let name = try string()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw failure("expected ':' after member name '\(name)'") }
            skipWhitespace()
            path.append(name)
            let member = try value(depth: depth)
            guard members.updateValue(member, forKey: name) == nil else {
                throw DocumentError(path: path.joined(separator: "."), message: "appears more than once; a member name may appear once per object")
            }
            path.removeLast()
            skipWhitespace()
            if consume(UInt8(ascii: ",")) {
                skipWhitespace()
                continue
            }
            guard consume(UInt8(ascii: "}")) else { throw failure("expected ',' or '}' in an object") }
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(items) }
        while true {
            items.append(try value(depth: depth))
            skipWhitespace()
            if consume(UInt8(ascii: ",")) {
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { throw failure("a ',' before ']' (no trailing commas)") }
                continue
            }
            guard consume(UInt8(ascii: "]")) else { throw failure("expected ',' or ']' in an array") }
            return .array(items)
        }
    }

    private func checkDepth(_ depth: Int) throws {
        guard depth <= JSONValue.maxDepth else {
            throw DocumentError(path: "", message: "body nests arrays and objects deeper than \(JSONValue.maxDepth) levels")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws -> JSONValue {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - index >= text.count, bytes[index..<index + text.count].elementsEqual(text) else {
            throw failure("expected a value (object, array, string, number, true, false or null)")
        }
        index += text.count
        return value
    }

    // MARK: Strings

    /// A string from its opening quote. The input is valid UTF-8 as a whole, so only ASCII needs
    /// a look: the quote, escapes, and control characters (which must be escaped).
    private mutating func string() throws -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw failure("a control character inside a string must be escaped") }
            index += 1
        }
        throw failure("a string is not closed")
    }

    private mutating func escapedString(from start: Int) throws -> String {
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"): decoded.append(contentsOf: String(try unicodeEscape()).utf8)
                default:
                    index -= 1
                    throw failure("'\\\(Character(Unicode.Scalar(escape)))' is not a JSON escape")
                }
            case 0..<0x20:
                index -= 1
                throw failure("a control character inside a string must be escaped")
            default:
                decoded.append(byte)
            }
        }
        throw failure("a string is not closed")
    }

    /// The scalar of `\uXXXX` (the `\u` read), joining a surrogate pair; a lone surrogate is refused.
    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        let first = try hexQuad()
        if (0xD800..<0xDC00).contains(first) {
            guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("a \\u escape holds half of a surrogate pair")
            }
            index += 2
            let second = try hexQuad()
            guard (0xDC00..<0xE000).contains(second) else { throw failure("a \\u escape holds half of a surrogate pair") }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(first) else { throw failure("a \\u escape holds half of a surrogate pair") }
        return scalar
    }

    private mutating func hexQuad() throws -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("a \\u escape needs four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Hex.value(of: bytes[index]) else { throw failure("a \\u escape needs four hexadecimal digits") }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: Numbers

    /// A number by the RFC's grammar; its value is converted by the standard library.
    private mutating func number() throws -> JSONValue {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        let integerStart = index
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a '-' must be followed by digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("a number may not have leading zeros") }
        } else {
            skipDigits()
        }
        let integerDigits = bytes[integerStart..<index]
        var fractionDigits = bytes[index..<index]
        var exponent = 0
        if consume(UInt8(ascii: ".")) {
            let fractionStart = index
            skipDigits()
            guard index > fractionStart else { throw failure("a '.' in a number must be followed by digits") }
            fractionDigits = bytes[fractionStart..<index]
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            let negative = consume(UInt8(ascii: "-"))
            if !negative { _ = consume(UInt8(ascii: "+")) }
            let exponentStart = index
            skipDigits()
            guard index > exponentStart else { throw failure("an exponent must have digits") }
            // Clamped: beyond ±100,000 every value here is out of range anyway.
            let magnitude = bytes[exponentStart..<index].reduce(0) { min($0 * 10 + Int($1 - UInt8(ascii: "0")), 100_000) }
            exponent = negative ? -magnitude : magnitude
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if text == "-0" { throw numberFailure(text, at: start, "-0 is not accepted; write 0") }
        if fractionDigits.isEmpty, exponent == 0, !text.contains(where: { $0 == "e" || $0 == "E" }) {
            guard let integer = Int(text) else {
                throw numberFailure(text, at: start, "is beyond the 64-bit integer range (±9223372036854775807)")
            }
            return .integer(integer)
        }
        guard let double = Double(text), double.isFinite else { throw numberFailure(text, at: start, "is too large for a number") }
        let digits = Array(integerDigits) + Array(fractionDigits)
        let hasNonZeroDigit = digits.contains { $0 != UInt8(ascii: "0") }
        if double == 0, hasNonZeroDigit { throw numberFailure(text, at: start, "is too small: it would become 0") }
        if double.rounded() == double, !Self.isWhole(digits: digits, pointAfter: integerDigits.count + exponent) {
            throw numberFailure(text, at: start, "has more digits than a 64-bit number holds: it would become \(double)")
        }
        return .number(double)
    }

    /// Whether the decimal `digits`, with the point after `pointAfter` of them, is a whole number.
    private static func isWhole(digits: [UInt8], pointAfter: Int) -> Bool {
        digits.dropFirst(max(0, pointAfter)).allSatisfy { $0 == UInt8(ascii: "0") }
    }

    private func numberFailure(_ text: String, at start: Int, _ problem: String) -> DocumentError {
        DocumentError(path: path.joined(separator: "."), message: "the number \(text.prefix(40)) \(problem)")
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Reading

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func failure(_ problem: String) -> DocumentError {
        DocumentError(path: "", message: "body is not valid JSON: \(problem) (at byte \(index))")
    }
}
