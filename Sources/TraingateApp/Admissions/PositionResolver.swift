import Geocoding
import PolicyEngine

/// Turns a GPS position into country signals through the offline place index.
///
/// Cautious at borders: besides the country of the nearest place, every country with a place
/// within the policy's `gps_border_distance_km` becomes a signal too, so a point near a
/// restricted territory counts as restricted. Far from any place (open sea) there is no signal.
public struct PositionResolver: Sendable {
    private let index: PlaceIndex

    public init(index: PlaceIndex = .compiledIn) {
        self.index = index
    }

    public func signals(for position: Coordinate, source: CountrySignal.Source, borderDistanceKm: Double) -> [CountrySignal] {
        index.countries(nearLatitude: position.latitude, longitude: position.longitude, radiusKm: borderDistanceKm)
            .map {
                CountrySignal(
                    source: source, country: CountryCode($0.country) ?? CountryCode(referenceData: $0.country),
                    distanceKm: ($0.distanceKm * 10).rounded() / 10)
            }
    }
}
