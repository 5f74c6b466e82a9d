/// One country or territory belonging to a regime for a period, with where that fact comes from.
public struct TerritoryRow: Hashable, Sendable, Encodable {
    public let country: CountryCode
    public let period: EffectivePeriod
    public let source: String
    public let note: String?

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(country.rawValue, forKey: .country)
        try period.encode(to: encoder)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(note, forKey: .note)
    }

    enum CodingKeys: String, CodingKey { case country, source, note }
}
