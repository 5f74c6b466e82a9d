/// A dense array of `Float` in row-major order: the last dimension varies fastest.
/// Images are `[batch, channels, height, width]`; matrices `[rows, columns]`.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 > 0 }, "every dimension must be positive: \(shape)")
        precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public var count: Int { values.count }

    /// The same values seen with another shape of the same size.
    public func reshaped(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, values: values)
    }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        precondition(lhs.shape == rhs.shape, "shapes differ: \(lhs.shape) and \(rhs.shape)")
        return Tensor(shape: lhs.shape, values: zip(lhs.values, rhs.values).map(+))
    }
}
