/// Float reductions in eight lanes. Swift does not reorder floating-point additions, so a plain
/// `sum += x[i]` loop runs one addition at a time; these sum eight partial sums at once (the
/// result differs from the sequential sum only by rounding).
enum VectorSums {
    static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            lanes += UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            total += x[index]
            index += 1
        }
        return total
    }

    /// Σ (x − mean)².
    static func squaredDeviations(_ x: UnsafePointer<Float>, _ count: Int, mean: Float) -> Float {
        var lanes = SIMD8<Float>()
        let means = SIMD8<Float>(repeating: mean)
        var index = 0
        while index + 8 <= count {
            let deviation = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self) - means
            lanes += deviation * deviation
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            total += (x[index] - mean) * (x[index] - mean)
            index += 1
        }
        return total
    }

    /// Σ x·y.
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            lanes +=
                UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            total += x[index] * y[index]
            index += 1
        }
        return total
    }
}
