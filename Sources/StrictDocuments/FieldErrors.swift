import Foundation

/// Collects every validation problem of a request so the client hears of all of them at once.
public struct FieldErrors {
    public init() {}

    public private(set) var all: [DocumentError] = []

    public mutating func add(_ field: String, _ message: String) {
        all.append(DocumentError(path: field, message: message))
    }

    /// The object's members; unknown keys are reported (a typo must not silently drop a constraint).
    public mutating func object(_ value: JSONValue, at field: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard case .object(let members) = value else {
            add(field.isEmpty ? "body" : field, "must be an object, got \(value.typeName)")
            return nil
        }
        for key in members.keys.sorted() where !allowed.contains(key) {
            add(join(field, key), "unknown field")
        }
        return members
    }

    public mutating func string(_ value: JSONValue?, at field: String, length: ClosedRange<Int>) -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else {
            add(field, "must be a string, got \(value.typeName)")
            return nil
        }
        // Unicode scalars, not grapheme clusters: one letter followed by megabytes of combining
        // marks is one "character" but must not pass a 256-character limit.
        let scalars = text.unicodeScalars.count
        guard length.contains(scalars) else {
            add(field, "must be \(length.lowerBound)..\(length.upperBound) characters long, got \(scalars)")
            return nil
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            add(field, "must not contain control characters")
            return nil
        }
        return text
    }

    public mutating func bool(_ value: JSONValue?, at field: String) -> Bool? {
        guard let value, value != .null else { return nil }
        guard case .bool(let flag) = value else {
            add(field, "must be true or false, got \(value.typeName)")
            return nil
        }
        return flag
    }

    public mutating func number(_ value: JSONValue?, at field: String, range: ClosedRange<Double>) -> Double? {
        guard let value, value != .null else { return nil }
        guard let number = value.numberValue else {
            add(field, "must be a number, got \(value.typeName)")
            return nil
        }
        guard range.contains(number) else {
            add(field, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            return nil
        }
        return number
    }

    public mutating func integer(_ value: JSONValue?, at field: String, range: ClosedRange<Int>) -> Int? {
        guard let value, value != .null else { return nil }
        guard case .integer(let integer) = value else {
            // Strict: 18.0 or 1.8e1 is refused, not rounded (an integer is written as one).
            let written = value.numberValue.map { "\($0)" } ?? value.typeName
            add(field, "must be an integer written without a fraction or exponent, got \(written)")
            return nil
        }
        guard range.contains(integer) else {
            add(field, "must be an integer from \(range.lowerBound) to \(range.upperBound), got \(integer)")
            return nil
        }
        return integer
    }

    public mutating func enumeration<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, at field: String) -> T?
    where T.RawValue == String {
        guard let text = string(value, at: field, length: 1...64) else { return nil }
        guard let result = T(rawValue: text) else {
            add(field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
            return nil
        }
        return result
    }

    public mutating func timestamp(_ value: JSONValue?, at field: String) -> Date? {
        guard let text = string(value, at: field, length: 1...64) else { return nil }
        guard let date = Timestamp.parse(text) else {
            add(field, "'\(text)' is not an RFC 3339 timestamp (e.g. 2026-11-28T12:00:00Z)")
            return nil
        }
        return date
    }

    public mutating func array(_ value: JSONValue?, at field: String, maxCount: Int) -> [JSONValue]? {
        guard let value, value != .null else { return nil }
        guard case .array(let items) = value else {
            add(field, "must be an array, got \(value.typeName)")
            return nil
        }
        guard items.count <= maxCount else {
            add(field, "must have at most \(maxCount) items, got \(items.count)")
            return nil
        }
        return items
    }

    public func join(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : "\(parent).\(key)" }
}
