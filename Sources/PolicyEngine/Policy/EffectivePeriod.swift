/// When a row of reference data applies: from `from` (inclusive) until `until` (exclusive, open if nil).
public struct EffectivePeriod: Hashable, Sendable, Encodable {
    public let from: CalendarDay
    public let until: CalendarDay?

    public func contains(_ day: CalendarDay) -> Bool {
        from <= day && until.map { day < $0 } ?? true
    }

    enum CodingKeys: String, CodingKey {
        case from = "effective_from"
        case until = "effective_until"
    }
}
