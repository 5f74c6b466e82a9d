import CGeoNamesData
import Foundation

/// A static k-d tree over the compiled-in GeoNames places, built once, answering "which countries
/// have a place near this point" in microseconds without any network or file access.
public final class PlaceIndex: Sendable {
    /// The index over the compiled-in table (about 145,000 places), built on first use.
    public static let compiledIn = PlaceIndex()

    private let points: [GeoPoint]
    private let countries: [String]
    /// Tree order: node `i` of the implicit tree over `order[lo..<hi]` is its middle element.
    private let order: [Int32]

    public var count: Int { points.count }

    /// A second index over the compiled-in table, built now (to time the build).
    public static func compiledInCopy() -> PlaceIndex { PlaceIndex() }

    /// Every place's (latitude, longitude), in table order.
    public var coordinates: [(Double, Double)] {
        points.map { (asin($0.z) * 180 / .pi, atan2($0.y, $0.x) * 180 / .pi) }
    }

    private convenience init() {
        let count = Int(tg_city_count())
        let latitudeTable = tg_city_lat_e5()!
        let longitudeTable = tg_city_lon_e5()!
        let countryTable = tg_city_country()!
        var latitudes: [Double] = []
        var longitudes: [Double] = []
        var codes: [String] = []
        latitudes.reserveCapacity(count)
        longitudes.reserveCapacity(count)
        codes.reserveCapacity(count)
        for index in 0..<count {
            latitudes.append(Double(latitudeTable[index]) / 1e5)
            longitudes.append(Double(longitudeTable[index]) / 1e5)
            let first = UInt8(bitPattern: countryTable[2 * index])
            let second = UInt8(bitPattern: countryTable[2 * index + 1])
            codes.append(String(decoding: [first, second], as: UTF8.self))
        }
        self.init(latitudes: latitudes, longitudes: longitudes, countries: codes)
    }

    /// An index over the given places (tests use small tables).
    public init(latitudes: [Double], longitudes: [Double], countries: [String]) {
        precondition(latitudes.count == longitudes.count && latitudes.count == countries.count)
        points = zip(latitudes, longitudes).map { GeoPoint(latitude: $0, longitude: $1) }
        self.countries = countries
        var order = (0..<Int32(points.count)).map { $0 }
        Self.build(&order, points: points, lo: 0, hi: order.count, depth: 0)
        self.order = order
    }

    /// Countries with a place within `radiusKm` of the position, each with the distance to its
    /// nearest such place, nearest first.
    ///
    /// Places are towns, not borders, so where no town is that close (forest, mountains) the
    /// radius grows by the distance to the nearest place: every country with a town within
    /// `nearest + radiusKm` counts, so a point deep inside a sparsely settled restricted
    /// territory is not handed to its neighbour alone. Beyond `landKm` from any place (open
    /// sea) the answer is empty.
    public func countries(
        nearLatitude latitude: Double, longitude: Double, radiusKm: Double, landKm: Double = 200
    ) -> [(country: String, distanceKm: Double)] {
        let target = GeoPoint(latitude: latitude, longitude: longitude)
        var best = countries(around: target, radiusKm: radiusKm)
        if best.isEmpty, let (_, squared) = nearest(to: target), squared.squareRoot() <= GeoPoint.chord(forKm: landKm) {
            best = countries(around: target, radiusKm: GeoPoint.km(forChord: squared.squareRoot()) + radiusKm)
        }
        return best.map { (country: $0.key, distanceKm: GeoPoint.km(forChord: $0.value.squareRoot())) }
            .sorted { ($0.distanceKm, $0.country) < ($1.distanceKm, $1.country) }
    }

    /// Each country with a place within `radiusKm`, with its smallest squared chord distance.
    private func countries(around target: GeoPoint, radiusKm: Double) -> [String: Double] {
        var best: [String: Double] = [:]
        let limit = GeoPoint.chord(forKm: radiusKm)
        within(target, squaredLimit: limit * limit, lo: 0, hi: order.count, depth: 0) { index, squared in
            let country = countries[index]
            if best[country].map({ squared < $0 }) ?? true { best[country] = squared }
        }
        return best
    }

    /// The same answer as `countries(nearLatitude:longitude:radiusKm:landKm:)` by checking every
    /// place: the baseline the benchmark compares the tree against.
    public func countriesByLinearScan(
        nearLatitude latitude: Double, longitude: Double, radiusKm: Double, landKm: Double = 200
    ) -> [(country: String, distanceKm: Double)] {
        let target = GeoPoint(latitude: latitude, longitude: longitude)
        let squaredDistances = points.map { $0.squaredChord(to: target) }
        func scan(_ radiusKm: Double) -> [String: Double] {
            let limit = GeoPoint.chord(forKm: radiusKm)
            var best: [String: Double] = [:]
            for (index, squared) in squaredDistances.enumerated() where squared <= limit * limit {
                if best[countries[index]].map({ squared < $0 }) ?? true { best[countries[index]] = squared }
            }
            return best
        }
        var best = scan(radiusKm)
        if best.isEmpty, let nearest = squaredDistances.min(), nearest.squareRoot() <= GeoPoint.chord(forKm: landKm) {
            best = scan(GeoPoint.km(forChord: nearest.squareRoot()) + radiusKm)
        }
        return best.map { (country: $0.key, distanceKm: GeoPoint.km(forChord: $0.value.squareRoot())) }
            .sorted { ($0.distanceKm, $0.country) < ($1.distanceKm, $1.country) }
    }

    /// The nearest place's index and squared chord distance.
    func nearest(to target: GeoPoint) -> (Int, Double)? {
        var best: (Int, Double)?
        nearest(target, lo: 0, hi: order.count, depth: 0, best: &best)
        return best
    }

    private func nearest(_ target: GeoPoint, lo: Int, hi: Int, depth: Int, best: inout (Int, Double)?) {
        guard lo < hi else { return }
        let mid = (lo + hi) / 2
        let index = Int(order[mid])
        let squared = points[index].squaredChord(to: target)
        if best.map({ squared < $0.1 }) ?? true { best = (index, squared) }
        let axis = depth % 3
        let delta = target[axis] - points[index][axis]
        let (near, far) = delta < 0 ? ((lo, mid), (mid + 1, hi)) : ((mid + 1, hi), (lo, mid))
        nearest(target, lo: near.0, hi: near.1, depth: depth + 1, best: &best)
        if delta * delta < best!.1 {
            nearest(target, lo: far.0, hi: far.1, depth: depth + 1, best: &best)
        }
    }

    private func within(
        _ target: GeoPoint, squaredLimit: Double, lo: Int, hi: Int, depth: Int, visit: (Int, Double) -> Void
    ) {
        guard lo < hi else { return }
        let mid = (lo + hi) / 2
        let index = Int(order[mid])
        let squared = points[index].squaredChord(to: target)
        if squared <= squaredLimit { visit(index, squared) }
        let axis = depth % 3
        let delta = target[axis] - points[index][axis]
        if delta < 0 || delta * delta <= squaredLimit {
            within(target, squaredLimit: squaredLimit, lo: lo, hi: mid, depth: depth + 1, visit: visit)
        }
        if delta >= 0 || delta * delta <= squaredLimit {
            within(target, squaredLimit: squaredLimit, lo: mid + 1, hi: hi, depth: depth + 1, visit: visit)
        }
    }

    /// Arranges `order[lo..<hi]` so its middle element splits the rest on the depth's axis (quickselect),
    /// then recurses: O(n log n) overall.
    private static func build(_ order: inout [Int32], points: [GeoPoint], lo: Int, hi: Int, depth: Int) {
        guard hi - lo > 1 else { return }
        let axis = depth % 3
        let mid = (lo + hi) / 2
        select(&order, points: points, lo: lo, hi: hi - 1, k: mid, axis: axis)
        build(&order, points: points, lo: lo, hi: mid, depth: depth + 1)
        build(&order, points: points, lo: mid + 1, hi: hi, depth: depth + 1)
    }

    private static func select(_ order: inout [Int32], points: [GeoPoint], lo: Int, hi: Int, k: Int, axis: Int) {
        var lo = lo
        var hi = hi
        while lo < hi {
            let pivot = points[Int(order[(lo + hi) / 2])][axis]
            var i = lo
            var j = hi
            while i <= j {
                while points[Int(order[i])][axis] < pivot { i += 1 }
                while points[Int(order[j])][axis] > pivot { j -= 1 }
                if i <= j {
                    order.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }
}
