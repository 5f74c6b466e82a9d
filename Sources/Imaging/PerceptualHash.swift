import Foundation

/// A 64-bit DCT perceptual hash (pHash, as the `imagehash` Python package computes it): the
/// picture as 32×32 grey levels, its 2-D DCT-II, the 8×8 lowest frequencies, one bit each for
/// "above their median". Re-encoding, resizing or mild colour changes move few bits; another
/// picture differs in about half of them.
public struct PerceptualHash: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(value: UInt64) {
        self.value = value
    }

    public var description: String { String(value, radix: 16).leftPadded(to: 16) }

    /// Number of differing bits.
    public func distance(to other: PerceptualHash) -> Int {
        (value ^ other.value).nonzeroBitCount
    }

    static let side = 32
    static let kept = 8

    /// cos(π·k·(2n+1)/(2N)) for the kept frequencies k < 8 and all n < 32.
    private static let cosines: [Double] = (0..<kept).flatMap { k in
        (0..<side).map { n in cos(Double.pi * Double(k) * Double(2 * n + 1) / Double(2 * side)) }
    }

    public static func of(_ image: RGBImage) -> PerceptualHash {
        let small = Downscaler.resize(image, width: side, height: side)
        // ITU-R 601 luma, as Pillow's "L" conversion.
        let grey: [Double] = (0..<(side * side)).map { pixel in
            let r = Double(small.pixels[3 * pixel]), g = Double(small.pixels[3 * pixel + 1]), b = Double(small.pixels[3 * pixel + 2])
            return (r * 299 + g * 587 + b * 114) / 1000
        }
        // Separable DCT-II (unnormalised, like scipy.fftpack.dct): rows, then columns, only
        // for the frequencies kept.
        var rows = [Double](repeating: 0, count: side * kept)  // [y][k]
        for y in 0..<side {
            for k in 0..<kept {
                var sum = 0.0
                for n in 0..<side { sum += grey[y * side + n] * cosines[k * side + n] }
                rows[y * kept + k] = 2 * sum
            }
        }
        var coefficients = [Double](repeating: 0, count: kept * kept)  // [ky][kx]
        for ky in 0..<kept {
            for kx in 0..<kept {
                var sum = 0.0
                for n in 0..<side { sum += rows[n * kept + kx] * cosines[ky * side + n] }
                coefficients[ky * kept + kx] = 2 * sum
            }
        }
        let sorted = coefficients.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        var value: UInt64 = 0
        for coefficient in coefficients { value = value << 1 | (coefficient > median ? 1 : 0) }
        return PerceptualHash(value: value)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
