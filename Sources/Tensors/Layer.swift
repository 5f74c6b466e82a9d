/// A differentiable step of a network. `forward` keeps what `backward` needs; `backward` takes
/// the gradient of the loss with respect to the output, adds the parameters' gradients to
/// `gradients`, and returns the gradient with respect to the input.
public protocol Layer: AnyObject {
    /// Trainable parameters and their gradients, in the same order.
    var parameters: [Tensor] { get set }
    var gradients: [Tensor] { get set }

    func forward(_ input: Tensor) -> Tensor
    func backward(_ gradOutput: Tensor) -> Tensor
}

extension Layer {
    public func zeroGradients() {
        gradients = parameters.map { Tensor(zeros: $0.shape) }
    }
}
