/// max(0, x), elementwise.
public final class ReLU: Layer {
    public var parameters: [Tensor] = []
    public var gradients: [Tensor] = []
    private var mask: [Bool] = []

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        mask = input.values.map { $0 > 0 }
        return Tensor(shape: input.shape, values: input.values.map { max(0, $0) })
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        Tensor(shape: gradOutput.shape, values: zip(gradOutput.values, mask).map { $1 ? $0 : 0 })
    }
}
