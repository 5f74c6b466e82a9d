/// Each row of [batch, dimensions] scaled to unit length, as embeddings are compared by cosine.
public final class L2Normalize: Layer {
    public var parameters: [Tensor] = []
    public var gradients: [Tensor] = []
    private var output: Tensor?
    private var norms: [Float] = []
    let epsilon: Float = 1e-12

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        let (rows, columns) = (input.shape[0], input.shape[1])
        var values = input.values
        norms = (0..<rows).map { row in
            max(input.values[(row * columns)..<((row + 1) * columns)].reduce(0) { $0 + $1 * $1 }.squareRoot(), epsilon)
        }
        for index in values.indices { values[index] /= norms[index / columns] }
        let result = Tensor(shape: input.shape, values: values)
        output = result
        return result
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let output else { preconditionFailure("backward before forward") }
        let (rows, columns) = (output.shape[0], output.shape[1])
        var gradInput = [Float](repeating: 0, count: output.count)
        // dx = (dy − y·(y·dy)) / ‖x‖
        for row in 0..<rows {
            let range = (row * columns)..<((row + 1) * columns)
            let dot = range.reduce(Float(0)) { $0 + output.values[$1] * gradOutput.values[$1] }
            for index in range { gradInput[index] = (gradOutput.values[index] - output.values[index] * dot) / norms[row] }
        }
        return Tensor(shape: output.shape, values: gradInput)
    }
}
