import Testing
@testable import Tensors

/// Finite-difference checks of hand-written backward passes. The loss is L = Σ y·R for a fixed
/// random R, so ∂L/∂y = R; central differences in Double around each probed coordinate are
/// compared with the analytic gradient.
enum GradientCheck {
    struct Mismatch: CustomStringConvertible {
        let what: String
        let index: Int
        let analytic: Double
        let numeric: Double
        var description: String { "\(what)[\(index)]: analytic \(analytic), numeric \(numeric)" }
    }

    /// Worst relative error over `probes` random coordinates of the input and of every
    /// parameter, and the worst mismatches for the failure message.
    static func check(
        _ layer: some Layer, input: Tensor, probes: Int = 40, epsilon: Float = 1e-2, seed: UInt64 = 7
    ) -> (worst: Double, mismatches: [Mismatch]) {
        var random = SeededRandom(seed: seed)
        let output = layer.forward(input)
        let weights = Tensor(shape: output.shape, values: (0..<output.count).map { _ in random.normal() })
        layer.zeroGradients()
        let gradInput = layer.backward(weights)
        let analyticParameters = layer.gradients

        func loss(_ input: Tensor) -> Double {
            zip(layer.forward(input).values, weights.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        var worst = 0.0
        var mismatches: [Mismatch] = []
        func compare(_ what: String, _ index: Int, analytic: Float, plus: Double, minus: Double) {
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let error = abs(Double(analytic) - numeric) / max(1e-2, abs(numeric) + abs(Double(analytic)))
            worst = max(worst, error)
            if error > 0.02 { mismatches.append(Mismatch(what: what, index: index, analytic: Double(analytic), numeric: numeric)) }
        }
        for _ in 0..<probes {
            let index = Int(random.next() % UInt64(input.count))
            var plus = input, minus = input
            plus.values[index] += epsilon
            minus.values[index] -= epsilon
            compare("input", index, analytic: gradInput.values[index], plus: loss(plus), minus: loss(minus))
        }
        for parameter in layer.parameters.indices {
            for _ in 0..<probes {
                let index = Int(random.next() % UInt64(layer.parameters[parameter].count))
                let original = layer.parameters[parameter].values[index]
                layer.parameters[parameter].values[index] = original + epsilon
                let plus = loss(input)
                layer.parameters[parameter].values[index] = original - epsilon
                let minus = loss(input)
                layer.parameters[parameter].values[index] = original
                compare("parameter \(parameter)", index, analytic: analyticParameters[parameter].values[index], plus: plus, minus: minus)
            }
        }
        return (worst, mismatches)
    }

    static func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var random = SeededRandom(seed: seed)
        return Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in random.normal() })
    }
}
