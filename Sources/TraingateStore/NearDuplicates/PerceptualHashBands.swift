/// Multi-index hashing for Hamming-distance search (Norouzi et al., 2012): a 64-bit hash is cut
/// into four 16-bit bands, each indexed on its own. Two hashes within distance r differ in at
/// most ⌊r/4⌋ bits in at least one band (pigeonhole), so a search looks up, in every band, the
/// band values within that many bits of the query's, and checks only those candidates. For
/// r = 6 that is 17 exact lookups per band instead of a scan over every stored hash.
public enum PerceptualHashBands {
    public static let count = 4
    static let width = 16

    /// The four band values of a hash, most significant band first.
    public static func bands(of hash: UInt64) -> [Int64] {
        (0..<count).map { Int64((hash >> UInt64(width * (count - 1 - $0))) & 0xFFFF) }
    }

    /// For each band, the values a hash within `radius` of `hash` may have there in at least
    /// one band.
    public static func probes(for hash: UInt64, radius: Int) -> [[Int64]] {
        let flips = max(0, radius) / count
        return bands(of: hash).map { value in withinBits(Int(value), flips: flips).map(Int64.init) }
    }

    /// Every 16-bit value that differs from `value` in at most `flips` bits.
    private static func withinBits(_ value: Int, flips: Int) -> [Int] {
        var result = [value]
        var frontier = [(value, -1)]  // (value, highest bit flipped so far), to flip each set once
        for _ in 0..<flips {
            var next: [(Int, Int)] = []
            for (current, highest) in frontier {
                for bit in (highest + 1)..<width {
                    let flipped = current ^ (1 << bit)
                    result.append(flipped)
                    next.append((flipped, bit))
                }
            }
            frontier = next
        }
        return result
    }
}
