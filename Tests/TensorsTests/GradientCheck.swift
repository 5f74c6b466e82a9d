import Testing
@testable import Tensors

/// Finite-difference checks of hand-written backward passes. The loss is L = Σ y·R for a fixed
/// random R, so ∂L/∂y = R. The Float32 layer's backward pass gives the analytic gradient; the
/// numeric one is a central difference of the layer's Double reference (`ReferenceForward`) at
/// the same point, so that it is the same on every BLAS kernel. `GradientTolerance` says when
/// the two agree and why.
enum GradientCheck {
    struct Mismatch: CustomStringConvertible {
        let what: String
        let index: Int
        let analytic: Double
        let numeric: Double
        var description: String { "\(what)[\(index)]: analytic \(analytic), numeric \(numeric)" }
    }

    /// Random coordinates probed per tensor (the input and every parameter).
    static let probes = 40

    /// Every probed coordinate, of the input and of every parameter, where the analytic gradient
    /// and the numeric one disagree; empty when the backward pass is right.
    static func check(_ layer: some Layer, input: Tensor) -> [Mismatch] {
        var random = SeededRandom(seed: 7)
        let output = layer.forward(input)
        let weights = (0..<output.count).map { _ in Double(random.normal()) }
        layer.zeroGradients()
        let gradInput = layer.backward(Tensor(shape: output.shape, values: weights.map(Float.init)))
        let analyticParameters = layer.gradients

        let reference = layer.reference
        let point = DoubleTensor(input)
        let parameters = layer.parameters.map(DoubleTensor.init)
        func loss(_ input: DoubleTensor, _ parameters: [DoubleTensor]) -> Double {
            zip(reference.referenceForward(input, parameters: parameters).values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        }

        var mismatches: [Mismatch] = []
        func probe(_ what: String, analytic: Tensor, numeric: (Int) -> Double) {
            let scale = analytic.values.reduce(0) { max($0, Double(abs($1))) }
            for _ in 0..<probes {
                let index = Int(random.next() % UInt64(analytic.count))
                let (gradient, derivative) = (Double(analytic.values[index]), numeric(index))
                if !GradientTolerance.accepts(analytic: gradient, numeric: derivative, scale: scale) {
                    mismatches.append(Mismatch(what: what, index: index, analytic: gradient, numeric: derivative))
                }
            }
        }
        probe("input", analytic: gradInput) { index in
            GradientTolerance.centralDifference(at: point.values[index]) { value in
                var moved = point
                moved.values[index] = value
                return loss(moved, parameters)
            }
        }
        for parameter in parameters.indices {
            probe("parameter \(parameter)", analytic: analyticParameters[parameter]) { index in
                GradientTolerance.centralDifference(at: parameters[parameter].values[index]) { value in
                    var moved = parameters
                    moved[parameter].values[index] = value
                    return loss(point, moved)
                }
            }
        }
        return mismatches
    }

    static func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var random = SeededRandom(seed: seed)
        return Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in random.normal() })
    }
}
