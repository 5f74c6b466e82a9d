import Foundation

/// A legal regime (EU, UK, CH, Jersey, …): its law, where it applies and since when, and what
/// its reasons cite. The policy's key for it is the label decisions show in `jurisdictions`.
public struct Jurisdiction: Hashable, Sendable, Encodable {
    public let name: String
    /// The law's short name, as citations begin (`GDPR`, `UK GDPR`, `FADP`).
    public let law: String
    /// The primary source: an official citation and a link.
    public let source: String
    public let tier: RegimeTier
    /// The zone its days are read in, unless a territory row names its own.
    public let timeZone: String
    public let citations: Citations
    public let members: [TerritoryRow]

    /// Countries that belong to the regime at `date`.
    public func countries(at date: Date) -> Set<CountryCode> {
        Set(members.filter { $0.period.contains(date) }.map(\.country))
    }

    enum CodingKeys: String, CodingKey {
        case name, law, source, tier, citations, members
        case timeZone = "time_zone"
    }
}
