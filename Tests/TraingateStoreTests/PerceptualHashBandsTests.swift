import Testing
@testable import TraingateStore

@Suite struct PerceptualHashBandsTests {
    /// The pigeonhole promise the index relies on: any hash within the radius shares at least
    /// one probed band value with the query, checked on random pairs at every distance.
    @Test(arguments: [0, 3, 6, 7])
    func everyHashWithinTheRadiusIsAmongTheProbes(radius: Int) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let query = UInt64.random(in: .min ... .max, using: &generator)
            var other = query
            var flipped = Set<Int>()
            while flipped.count < Int.random(in: 0...radius, using: &generator) { flipped.insert(Int.random(in: 0..<64, using: &generator)) }
            for bit in flipped { other ^= 1 << UInt64(bit) }
            let probes = PerceptualHashBands.probes(for: query, radius: radius)
            let bands = PerceptualHashBands.bands(of: other)
            #expect((0..<4).contains { probes[$0].contains(bands[$0]) }, "distance \(flipped.count) missed")
        }
        #expect(PerceptualHashBands.probes(for: 0, radius: 6).map(\.count) == [17, 17, 17, 17])
    }
}
