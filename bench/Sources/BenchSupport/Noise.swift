/// Bytes that look random, from a seed, without a system call per byte (xorshift): filler for
/// benchmark stores (sealed facts, image bytes, ids), the same for the same seed in every run.
public func noise(_ count: Int, seed: Int) -> [UInt8] {
    var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}
