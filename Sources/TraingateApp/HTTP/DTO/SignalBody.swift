import PolicyEngine
import StrictDocuments
import TraingateStore

/// A country signal as the API shows it: which input placed the subject where.
struct SignalBody: Encodable {
    let source: String
    let country: String
    let distanceKm: Double?

    var json: JSONValue {
        var object: [String: JSONValue] = ["source": .string(source), "country": .string(country)]
        if let distanceKm { object["distance_km"] = .number(distanceKm) }
        return .object(object)
    }

    init(_ signal: StoredSignal) {
        source = signal.source
        country = signal.country
        distanceKm = signal.distanceKm
    }

    init(_ signal: CountrySignal) {
        source = signal.source.rawValue
        country = signal.country.rawValue
        distanceKm = signal.distanceKm
    }

    enum CodingKeys: String, CodingKey {
        case source, country
        case distanceKm = "distance_km"
    }
}
