import PolicyEngine
import StrictDocuments

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

    /// The recorded form of a signal the engine saw.
    public init(_ signal: CountrySignal) {
        self.init(source: signal.source.rawValue, country: signal.country.rawValue, distanceKm: signal.distanceKm)
    }

    /// The signal as JSON, as the API and the admission rows show it.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["source": .string(source), "country": .string(country)]
        if let distanceKm { object["distance_km"] = .number(distanceKm) }
        return .object(object)
    }

    enum CodingKeys: String, CodingKey {
        case source, country
        case distanceKm = "distance_km"
    }
}
