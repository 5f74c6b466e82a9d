/// A country signal as recorded with a decision: where the subject was placed, and by what.
public struct StoredSignal: Codable, Hashable, Sendable {
    public let source: String
    public let country: String
    public let distanceKm: Double?

    public init(source: String, country: String, distanceKm: Double?) {
        self.source = source
        self.country = country
        self.distanceKm = distanceKm
    }

    enum CodingKeys: String, CodingKey {
        case source, country
        case distanceKm = "distance_km"
    }
}
