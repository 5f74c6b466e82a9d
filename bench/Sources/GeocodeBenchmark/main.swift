// Geocoder lookup speed: the k-d tree against a linear scan over the same table, in one run.
// Run through bench/geocode, which writes the figures to docs/benchmarks.md.
import Foundation
import Geocoding

let index = PlaceIndex.compiledIn
let buildStart = ContinuousClock.now
let fresh = PlaceIndex.compiledInCopy()
let buildTime = ContinuousClock.now - buildStart

// Query points: places of the table moved by up to ±0.5°, plus 10% random ocean-or-land points.
var generator = SystemRandomNumberGenerator()
let table = fresh.coordinates
let queries: [(Double, Double)] = (0..<20_000).map { index in
    if index % 10 == 0 { return (Double.random(in: -60...75, using: &generator), Double.random(in: -180...180, using: &generator)) }
    let place = table[Int.random(in: 0..<table.count, using: &generator)]
    return (
        max(-90, min(90, place.0 + Double.random(in: -0.5...0.5, using: &generator))),
        max(-180, min(180, place.1 + Double.random(in: -0.5...0.5, using: &generator)))
    )
}

func measure(_ count: Int, _ body: (Int) -> Int) -> (seconds: Double, checksum: Int) {
    let start = ContinuousClock.now
    var checksum = 0
    for i in 0..<count { checksum &+= body(i) }
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, checksum)
}

let tree = measure(queries.count) { i in
    index.countries(nearLatitude: queries[i].0, longitude: queries[i].1, radiusKm: 25).count
}
let scanCount = 500
let scan = measure(scanCount) { i in
    index.countriesByLinearScan(nearLatitude: queries[i].0, longitude: queries[i].1, radiusKm: 25).count
}
let treeMicros = tree.seconds / Double(queries.count) * 1e6
let scanMicros = scan.seconds / Double(scanCount) * 1e6
let agreement = (0..<scanCount).allSatisfy { i in
    Set(index.countries(nearLatitude: queries[i].0, longitude: queries[i].1, radiusKm: 25).map(\.country))
        == Set(index.countriesByLinearScan(nearLatitude: queries[i].0, longitude: queries[i].1, radiusKm: 25).map(\.country))
}
print(
    String(
        format: "RESULT places=%d build_ms=%.1f tree_us=%.2f scan_us=%.1f speedup=%.0f agree=%@ checksum=%d",
        index.count, Double(buildTime.components.attoseconds) / 1e15 + Double(buildTime.components.seconds) * 1e3,
        treeMicros, scanMicros, scanMicros / treeMicros, agreement ? "yes" : "NO", tree.checksum &+ scan.checksum))
