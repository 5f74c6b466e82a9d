/// What a regime's reasons cite: for each reason code, the provision of that regime's own law
/// (`UK GDPR Art. 6(1)` for a British subject, `FADP Art. 30-31` for a Swiss one), plus
/// `establishment`, the provision that brings an operator established there into its scope
/// (GDPR Art. 3(1)) when the subject is not.
public struct Citations: Hashable, Sendable, Encodable {
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
    public var establishment: String? { articles[Self.establishmentKey] }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(articles)
    }
}
