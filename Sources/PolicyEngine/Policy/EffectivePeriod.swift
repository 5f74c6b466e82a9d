import Foundation

/// When a row of reference data applies: from `from` (inclusive) until `until` (exclusive,
/// open if nil), both instants.
public struct EffectivePeriod: Hashable, Sendable, Encodable {
    public let from: EffectiveInstant
    public let until: EffectiveInstant?

    public func contains(_ date: Date) -> Bool {
        from.date <= date && until.map { date < $0.date } ?? true
    }

    enum CodingKeys: String, CodingKey {
        case from = "effective_from"
        case until = "effective_until"
        case timeZone = "time_zone"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encodeIfPresent(until, forKey: .until)
        try container.encode(from.timeZone, forKey: .timeZone)
    }
}
