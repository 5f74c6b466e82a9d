import Foundation
import StrictDocuments

/// `--expires`: an RFC 3339 instant, or a calendar date meaning its first instant in UTC.
enum KeyExpiry {
    static func parse(_ text: String) -> Date? {
        if let instant = Timestamp.parse(text) { return instant }
        guard text.utf8.count == 10 else { return nil }
        return Timestamp.parse(text + "T00:00:00Z")
    }
}
