import Foundation
import StrictDocuments

/// JSON-in-a-TEXT-column helpers for list and object columns.
package enum JSONText {
    /// For the hot path: canonical JSON, without `JSONEncoder`'s reflection.
    package static func encode(_ value: JSONValue) -> String {
        String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
    }

    package static func decode<T: Decodable>(_ type: T.Type, from text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
