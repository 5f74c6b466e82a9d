@testable import Tensors

/// A real layer whose backward pass is wrong on purpose, by `factor`, in the gradient it passes
/// back or in its parameters' gradients: the kind of error the gradient checks exist to catch.
/// Its forward pass, and so its reference, is the wrapped layer's.
final class MiscalibratedLayer: Layer, ReferenceForward {
    enum Part { case inputGradient, parameterGradients }

    let wrapped: any Layer
    let factor: Float
    let part: Part

    init(_ wrapped: any Layer, factor: Float, in part: Part) {
        self.wrapped = wrapped
        self.factor = factor
        self.part = part
    }

    var parameters: [Tensor] {
        get { wrapped.parameters }
        set { wrapped.parameters = newValue }
    }

    var gradients: [Tensor] {
        get { part == .parameterGradients ? wrapped.gradients.map(scaled) : wrapped.gradients }
        set { wrapped.gradients = newValue }
    }

    func forward(_ input: Tensor) -> Tensor { wrapped.forward(input) }

    func backward(_ gradOutput: Tensor) -> Tensor {
        let gradInput = wrapped.backward(gradOutput)
        return part == .inputGradient ? scaled(gradInput) : gradInput
    }

    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        wrapped.reference.referenceForward(input, parameters: parameters)
    }

    private func scaled(_ tensor: Tensor) -> Tensor {
        Tensor(shape: tensor.shape, values: tensor.values.map { $0 * factor })
    }
}
