import Geocoding
import Testing
import Foundation

@Suite struct PlaceIndexTests {
    private let index = PlaceIndex.compiledIn

    private func countries(_ latitude: Double, _ longitude: Double, radiusKm: Double = 25) -> [String] {
        index.countries(nearLatitude: latitude, longitude: longitude, radiusKm: radiusKm).map(\.country)
    }

    @Test func theCompiledInTableHoldsEveryGeoNamesPlace() {
        #expect(index.count == 144_563)
    }

    @Test(arguments: [
        ("Paris", 48.8566, 2.3522, ["FR"]),
        ("New York", 40.7128, -74.0060, ["US"]),
        ("São Paulo", -23.5505, -46.6333, ["BR"]),
        ("Saint-Denis, Réunion", -20.8821, 55.4504, ["RE"]),
        ("Tórshavn", 62.0107, -6.7741, ["FO"]),
        ("Nuuk", 64.1814, -51.6941, ["GL"]),
    ])
    func placesFarFromBordersHaveOneCountry(name: String, latitude: Double, longitude: Double, expected: [String]) {
        #expect(countries(latitude, longitude) == expected, "\(name)")
    }

    @Test(arguments: [
        ("Kehl", 48.5723, 7.8157, "DE", ["FR"]),
        ("Strasbourg", 48.5734, 7.7521, "FR", ["DE"]),
        ("Geneva", 46.2044, 6.1432, "CH", ["FR"]),
        ("Basel", 47.5596, 7.5886, "CH", ["DE", "FR"]),
        ("Monaco", 43.7384, 7.4246, "MC", ["FR"]),
    ])
    func borderTownsAlsoSignalTheirNeighbours(
        name: String, latitude: Double, longitude: Double, located: String, neighbours: [String]
    ) {
        let found = countries(latitude, longitude)
        #expect(found.first == located, "\(name): \(found)")
        for neighbour in neighbours { #expect(found.contains(neighbour), "\(name) should be near \(neighbour): \(found)") }
    }

    @Test func theBorderDistanceIsConfigurable() {
        #expect(countries(43.7384, 7.4246, radiusKm: 0) == ["MC"])
        #expect(countries(43.7384, 7.4246, radiusKm: 5).contains("FR"))
        #expect(!countries(43.7384, 7.4246, radiusKm: 5).contains("IT"))
    }

    @Test func withNoTownNearbyTheRadiusGrowsByTheDistanceToTheNearestTown() {
        // One degree of latitude is 111.2 km: AA's town 0.3° away (33 km), BB's 0.45° (50 km), CC's 1° (111 km).
        let small = PlaceIndex(latitudes: [10.3, 9.55, 11], longitudes: [20, 20, 20], countries: ["AA", "BB", "CC"])
        let found = small.countries(nearLatitude: 10, longitude: 20, radiusKm: 25).map(\.country)
        #expect(found == ["AA", "BB"])
    }

    @Test func farFromAnyLandThereIsNoSignal() {
        #expect(countries(35.0, -40.0).isEmpty)
        #expect(countries(-50.0, -120.0).isEmpty)
    }

    @Test func distancesAreGreatCircleKilometres() throws {
        // Two places 1 degree of latitude apart: about 111.2 km.
        let small = PlaceIndex(latitudes: [10, 11], longitudes: [20, 20], countries: ["AA", "BB"])
        let result = small.countries(nearLatitude: 10, longitude: 20, radiusKm: 120)
        #expect(result.map(\.country) == ["AA", "BB"])
        #expect(abs(try #require(result.last).distanceKm - 111.19) < 0.1)
    }

    @Test func agreesWithABruteForceScanOnRandomPoints() {
        var generator = SystemRandomNumberGenerator()
        let latitudes = (0..<2000).map { _ in Double.random(in: -60...70, using: &generator) }
        let longitudes = (0..<2000).map { _ in Double.random(in: -180...180, using: &generator) }
        let codes = (0..<2000).map { "C\($0 % 37)" }
        let small = PlaceIndex(latitudes: latitudes, longitudes: longitudes, countries: codes)
        for _ in 0..<200 {
            let lat = Double.random(in: -60...70, using: &generator)
            let lon = Double.random(in: -180...180, using: &generator)
            let radius = 800.0
            var expected: [String: Double] = [:]
            for i in 0..<2000 {
                let d = greatCircleKm(lat, lon, latitudes[i], longitudes[i])
                if d <= radius { expected[codes[i]] = min(expected[codes[i]] ?? .infinity, d) }
            }
            let found = small.countries(nearLatitude: lat, longitude: lon, radiusKm: radius, landKm: 0)
            #expect(Set(found.map(\.country)) == Set(expected.keys))
        }
    }

    private func greatCircleKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
        let dp = p2 - p1, dl = (lon2 - lon1) * .pi / 180
        let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * 6371.0088 * asin(min(1, a.squareRoot()))
    }
}
