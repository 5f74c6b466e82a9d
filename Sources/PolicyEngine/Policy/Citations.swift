/// What a regime's reasons cite: for each reason code, the provision of that regime's own law
/// (`UK GDPR Art. 6(1)` for a British subject, `FADP Art. 6, Art. 31` for a Swiss one), plus
/// the provisions that bring a case into its scope: `scope` for a subject located there (GDPR
/// Art. 3(2)) and `establishment` for an operator established there (GDPR Art. 3(1)).
public struct Citations: Hashable, Sendable, Encodable {
    public static let scopeKey = "scope"
    public static let establishmentKey = "establishment"
    /// The policy-wide key for a rights holder's text-and-data-mining reservation, which is
    /// copyright (DSM Directive Art. 4(3)) rather than any regime's data-protection law.
    public static let tdmReservationKey = "tdm_reservation"

    /// Keys: reason codes' raw values and the keys above.
    public let articles: [String: String]

    public init(_ articles: [String: String]) {
        self.articles = articles
    }

    public subscript(code: ReasonCode) -> String? { articles[code.rawValue] }
    public var scope: String? { articles[Self.scopeKey] }
    public var establishment: String? { articles[Self.establishmentKey] }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(articles)
    }
}
