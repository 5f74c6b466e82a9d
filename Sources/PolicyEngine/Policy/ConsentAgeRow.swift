/// GDPR Art. 8(1) age of digital consent in one country for a period, with the act that set it.
public struct ConsentAgeRow: Hashable, Sendable, Encodable {
    public let country: CountryCode
    public let age: Int
    public let period: EffectivePeriod
    public let source: String

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(country.rawValue, forKey: .country)
        try container.encode(age, forKey: .age)
        try period.encode(to: encoder)
        try container.encode(source, forKey: .source)
    }

    enum CodingKeys: String, CodingKey { case country, age, source }
}
