import Foundation
import StrictDocuments

/// The instant a row of reference data starts or stops applying. Laws start at midnight in
/// their own jurisdiction, so a row may give a day, read as midnight in the row's IANA time
/// zone (the revised Swiss FADP, from 2023-09-01 in Europe/Zurich, starts at 2023-08-31T22:00Z),
/// or an exact instant with its offset (the UK left the EU's rules at 2020-12-31T23:00:00Z).
public struct EffectiveInstant: Hashable, Comparable, Sendable, Encodable, CustomStringConvertible {
    public let date: Date
    /// As the policy wrote it.
    public let written: String
    /// The IANA zone a written day is read in.
    public let timeZone: String

    /// - Returns: nil when `text` is neither a valid `YYYY-MM-DD` nor an RFC 3339 instant, or
    ///   the zone is unknown to the time-zone database.
    public init?(_ text: String, timeZone identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        if let instant = Timestamp.parse(text) {
            date = instant
        } else {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
            else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            guard let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day)),
                calendar.dateComponents([.year, .month, .day], from: midnight) == DateComponents(year: year, month: month, day: day)
            else { return nil }
            date = midnight
        }
        written = text
        timeZone = identifier
    }

    /// The instant in UTC, as the API writes every timestamp.
    public var description: String { Timestamp.format(date) }

    public static func < (lhs: EffectiveInstant, rhs: EffectiveInstant) -> Bool { lhs.date < rhs.date }

    /// The same instant, however it was written.
    public static func == (lhs: EffectiveInstant, rhs: EffectiveInstant) -> Bool { lhs.date == rhs.date }

    public func hash(into hasher: inout Hasher) { hasher.combine(date) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
