import Foundation
import Yams

/// A node of a YAML document together with its dotted path, with typed accessors that
/// throw `DocumentError`s naming the line and key.
public struct YAMLValue {
    let node: Node
    public let path: String

    /// Parses a YAML document; syntax errors carry the line libyaml reports.
    public static func parse(_ text: String, documentName: String = "document") throws -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw DocumentError(path: "", line: 1, message: "\(documentName) is empty")
            }
            return YAMLValue(node: node, path: "")
        } catch let error as YamlError {
            throw DocumentError(path: "", line: Self.line(of: error), message: "invalid YAML: \(error)")
        }
    }

    init(node: Node, path: String) {
        self.node = node
        self.path = path
    }

    public var line: Int? { node.mark?.line }

    /// True for a plain value (a string, number or boolean), false for a mapping or a sequence.
    public var isScalar: Bool {
        if case .scalar = node { return true }
        return false
    }

    public func error(_ message: String) -> DocumentError {
        DocumentError(path: path, line: line, message: message)
    }

    /// The mapping's values by key; any key not in `allowed` is an error naming it.
    public func mapping(allowed: Set<String>, required: Set<String> = []) throws -> [String: YAMLValue] {
        guard case .mapping(let mapping) = node else { throw error("must be a mapping") }
        var result: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("keys must be strings") }
            let child = YAMLValue(node: valueNode, path: path.isEmpty ? key : "\(path).\(key)")
            guard allowed.contains(key) else {
                throw DocumentError(path: child.path, line: keyNode.mark?.line, message: "unknown key")
            }
            result[key] = child
        }
        for key in required.sorted() where result[key] == nil {
            throw DocumentError(path: path.isEmpty ? key : "\(path).\(key)", line: line, message: "is required")
        }
        return result
    }

    /// The mapping's entries in document order (for maps whose keys are data, like jurisdiction names).
    public func entries() throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("must be a mapping") }
        return try mapping.map { keyNode, valueNode in
            guard let key = keyNode.string else { throw error("keys must be strings") }
            return (key, YAMLValue(node: valueNode, path: path.isEmpty ? key : "\(path).\(key)"))
        }
    }

    public func sequence() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("must be a list") }
        return sequence.enumerated().map { YAMLValue(node: $1, path: "\(path)[\($0)]") }
    }

    public func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("must be a string") }
        return scalar.string
    }

    public func int(in range: ClosedRange<Int>) throws -> Int {
        guard case .scalar = node, let value = node.int else { throw error("must be an integer") }
        guard range.contains(value) else {
            throw error("must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    public func double(in range: ClosedRange<Double>) throws -> Double {
        guard case .scalar = node, let value = node.float, value.isFinite else { throw error("must be a number") }
        guard range.contains(value) else {
            throw error("must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    public func bool() throws -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("must be true or false") }
        return value
    }

    /// The node as JSON, for embedding request bodies in YAML test files.
    /// Scalars keep YAML's typing (quoted strings stay strings; `2026-01-01T00:00:00Z` stays a string).
    public func json() throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let bool = node.bool { return .bool(bool) }
            if let int = node.int { return .integer(int) }
            if let double = node.float { return .number(double) }
            return .string(scalar.string)
        case .sequence:
            return .array(try sequence().map { try $0.json() })
        case .mapping:
            return .object(Dictionary(uniqueKeysWithValues: try entries().map { ($0.key, try $0.value.json()) }))
        case .alias:
            throw error("aliases are not supported")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }
}
