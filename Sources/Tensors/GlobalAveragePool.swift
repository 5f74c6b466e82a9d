/// Mean over all positions of each channel: [N, C, H, W] → [N, C].
public final class GlobalAveragePool: Layer {
    public var parameters: [Tensor] = []
    public var gradients: [Tensor] = []
    private var shape: [Int] = []

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        shape = input.shape
        let plane = input.shape[2] * input.shape[3]
        let output = (0..<(input.shape[0] * input.shape[1])).map { index in
            input.values[(index * plane)..<((index + 1) * plane)].reduce(0, +) / Float(plane)
        }
        return Tensor(shape: [input.shape[0], input.shape[1]], values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let plane = shape[2] * shape[3]
        return Tensor(shape: shape, values: gradOutput.values.flatMap { Array(repeating: $0 / Float(plane), count: plane) })
    }
}
