/// A named legal regime (EU, EEA, UK, CH) and the territories where it applies.
public struct Jurisdiction: Hashable, Sendable, Encodable {
    public let name: String
    public let members: [TerritoryRow]

    /// Countries that belong to the jurisdiction on `day`.
    public func countries(on day: CalendarDay) -> Set<CountryCode> {
        Set(members.filter { $0.period.contains(day) }.map(\.country))
    }
}
