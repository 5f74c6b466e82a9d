import Foundation

/// A position on the unit sphere; straight-line (chord) distance between these is monotonic in
/// great-circle distance, which lets a plain 3-D k-d tree answer geographic queries.
struct GeoPoint {
    static let earthRadiusKm = 6371.0088

    let x: Double
    let y: Double
    let z: Double

    init(latitude: Double, longitude: Double) {
        let phi = latitude * .pi / 180
        let lambda = longitude * .pi / 180
        x = cos(phi) * cos(lambda)
        y = cos(phi) * sin(lambda)
        z = sin(phi)
    }

    subscript(axis: Int) -> Double {
        axis == 0 ? x : (axis == 1 ? y : z)
    }

    func squaredChord(to other: GeoPoint) -> Double {
        let dx = x - other.x
        let dy = y - other.y
        let dz = z - other.z
        return dx * dx + dy * dy + dz * dz
    }

    static func chord(forKm km: Double) -> Double {
        2 * sin(min(km / earthRadiusKm, .pi) / 2)
    }

    static func km(forChord chord: Double) -> Double {
        2 * asin(min(chord / 2, 1)) * earthRadiusKm
    }
}
