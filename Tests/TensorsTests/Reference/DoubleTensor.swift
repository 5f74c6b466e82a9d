@testable import Tensors

/// A tensor of `Double`, for the test suite's reference forward passes: the same row-major
/// layout as `Tensor`, with rounding errors about 2⁻²⁹ times smaller than Float32's.
struct DoubleTensor {
    var shape: [Int]
    var values: [Double]

    init(shape: [Int], values: [Double]) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// Exactly the Float32 tensor's values: every Float is a Double.
    init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, values: tensor.values.map(Double.init))
    }

    init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Double](repeating: 0, count: shape.reduce(1, *)))
    }

    var count: Int { values.count }
}
