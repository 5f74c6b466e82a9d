import Foundation
import StrictDocuments

/// A UTC calendar day (`YYYY-MM-DD`), the granularity of reference-data effective dates.
public struct CalendarDay: Hashable, Comparable, Sendable, Encodable, CustomStringConvertible {
    /// The day as `YYYY-MM-DD`; this form sorts chronologically.
    public let text: String

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil,
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.text = text
    }

    /// The UTC day that contains `date`.
    public init(containing date: Date) {
        text = String(Timestamp.format(date).prefix(10))
    }

    public var description: String { text }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.text < rhs.text }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
