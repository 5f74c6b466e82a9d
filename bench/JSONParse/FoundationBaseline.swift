import Foundation

/// The baseline: how traingate read JSON before its strict parser, JSONSerialization and a
/// conversion of its Foundation objects into plain values.
enum FoundationBaseline {
    indirect enum Value {
        case null, bool(Bool), number(Double), string(String), array([Value]), object([String: Value])
    }

    private static let booleanType = type(of: NSNumber(value: true))

    static func parse(_ bytes: [UInt8]) throws -> Value {
        convert(try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
    }

    private static func convert(_ value: Any) -> Value {
        switch value {
        case let text as String: .string(text)
        case let object as [String: Any]: .object(object.mapValues(convert))
        case let array as [Any]: .array(array.map(convert))
        case let number as NSNumber: type(of: number) == booleanType ? .bool(number.boolValue) : .number(number.doubleValue)
        default: .null
        }
    }
}
