/// max(0, x), elementwise.
public final class ReLU: Layer {
    public var parameters: [Tensor] = []
    public var gradients: [Tensor] = []
    /// The output: where it is positive, the gradient passes.
    private var output: [Float] = []

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        output = [Float](unsafeUninitializedCapacity: input.count) { buffer, count in
            input.values.withUnsafeBufferPointer { x in
                for index in 0..<x.count { buffer[index] = max(0, x[index]) }
            }
            count = input.count
        }
        return Tensor(shape: input.shape, values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let values = [Float](unsafeUninitializedCapacity: gradOutput.count) { buffer, count in
            gradOutput.values.withUnsafeBufferPointer { dy in
                output.withUnsafeBufferPointer { y in
                    for index in 0..<dy.count { buffer[index] = y[index] > 0 ? dy[index] : 0 }
                }
            }
            count = gradOutput.count
        }
        return Tensor(shape: gradOutput.shape, values: values)
    }
}
