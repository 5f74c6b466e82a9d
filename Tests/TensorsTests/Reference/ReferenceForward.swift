@testable import Tensors

/// A layer's forward pass written again, directly from its definition, in `Double` and without
/// BLAS: loops over the formula, nothing shared with the layer's own code.
///
/// Gradient checks difference this function instead of the Float32 layer. The Float32 forward
/// pass rounds differently on every OpenBLAS kernel (summation order, FMA or not), and that
/// rounding, divided by a finite-difference step, was as large as the gradients the composed
/// check compared. In Double it is about 10⁻¹² of a step and no kernel takes part, so the
/// numeric gradient is the same on every machine. `ReferenceAgreementTests` holds each
/// reference to its layer's own forward pass.
protocol ReferenceForward: Layer {
    /// The layer's output for `input` with `parameters` (in the order of `Layer.parameters`).
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor
}

extension Layer {
    /// This layer's reference; every layer the tests check has one.
    var reference: any ReferenceForward {
        guard let reference = self as? any ReferenceForward else { preconditionFailure("\(Self.self) has no reference forward pass") }
        return reference
    }
}
