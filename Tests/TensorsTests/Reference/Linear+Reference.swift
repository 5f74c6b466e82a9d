@testable import Tensors

extension Linear: ReferenceForward {
    /// y[n, o] = b[o] + Σ_i W[o, i] · x[n, i].
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        let (weights, bias) = (parameters[0].values, parameters[1].values)
        let batch = input.shape[0]
        var output = DoubleTensor(zeros: [batch, outputs])
        for n in 0..<batch {
            for o in 0..<outputs {
                output.values[n * outputs + o] = (0..<inputs).reduce(bias[o]) { $0 + weights[o * inputs + $1] * input.values[n * inputs + $1] }
            }
        }
        return output
    }
}
