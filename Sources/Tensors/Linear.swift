/// y = x · Wᵀ + b for `x` of shape [batch, inputs]; W is [outputs, inputs].
public final class Linear: Layer {
    public var parameters: [Tensor]
    public var gradients: [Tensor]
    private var input: Tensor?

    public init(inputs: Int, outputs: Int, random: inout SeededRandom) {
        // He initialisation: keeps the variance of activations through ReLU layers.
        let scale = (2 / Float(inputs)).squareRoot()
        parameters = [
            Tensor(shape: [outputs, inputs], values: (0..<(outputs * inputs)).map { _ in random.normal() * scale }),
            Tensor(zeros: [outputs]),
        ]
        gradients = parameters.map { Tensor(zeros: $0.shape) }
    }

    var outputs: Int { parameters[0].shape[0] }
    var inputs: Int { parameters[0].shape[1] }

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape.count == 2 && input.shape[1] == inputs, "Linear expects [batch, \(inputs)], got \(input.shape)")
        self.input = input
        let batch = input.shape[0]
        var output = BLAS.matmul(input.values, parameters[0].values, m: batch, n: outputs, k: inputs, transposeB: true)
        let bias = parameters[1].values
        for row in 0..<batch { for column in 0..<outputs { output[row * outputs + column] += bias[column] } }
        return Tensor(shape: [batch, outputs], values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let input else { preconditionFailure("backward before forward") }
        let batch = input.shape[0]
        // dW += dyᵀ · x ; db += Σ dy ; dx = dy · W
        let weightGradient = BLAS.matmul(gradOutput.values, input.values, m: outputs, n: inputs, k: batch, transposeA: true)
        gradients[0] = gradients[0] + Tensor(shape: [outputs, inputs], values: weightGradient)
        for row in 0..<batch { for column in 0..<outputs { gradients[1].values[column] += gradOutput.values[row * outputs + column] } }
        return Tensor(shape: input.shape, values: BLAS.matmul(gradOutput.values, parameters[0].values, m: batch, n: inputs, k: outputs))
    }
}
