/// An ISO 3166-1 alpha-2 country code, upper case, officially assigned.
public struct CountryCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only officially assigned codes in upper case (`FR`), not `fr`, `UK` or `XX`.
    public init?(_ rawValue: String) {
        guard ISO3166.officiallyAssigned.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A code from trusted reference data that may be user-assigned (GeoNames uses `XK` for Kosovo).
    public init(referenceData rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: CountryCode, rhs: CountryCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
