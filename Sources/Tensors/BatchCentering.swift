/// Subtracts each feature's mean over the batch, for [batch, features]: batch normalisation
/// without the scaling and without parameters. In the projection head it keeps one direction
/// from dominating every sample's hidden features, which is the collapse that made trained
/// encoders worse than untrained ones (SimCLR's and SwAV's heads use batch norm there; the
/// reference study in bench/reference_trainer.py found centring alone enough).
/// Backward: dx = dy − mean over the batch of dy.
public final class BatchCentering: Layer {
    public var parameters: [Tensor] = []
    public var gradients: [Tensor] = []

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        Tensor(shape: input.shape, values: Self.centred(input))
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        Tensor(shape: gradOutput.shape, values: Self.centred(gradOutput))
    }

    private static func centred(_ tensor: Tensor) -> [Float] {
        precondition(tensor.shape.count == 2, "BatchCentering expects [batch, features], got \(tensor.shape)")
        let (batch, features) = (tensor.shape[0], tensor.shape[1])
        var means = [Float](repeating: 0, count: features)
        for row in 0..<batch { for column in 0..<features { means[column] += tensor.values[row * features + column] } }
        for column in 0..<features { means[column] /= Float(batch) }
        var values = tensor.values
        for row in 0..<batch { for column in 0..<features { values[row * features + column] -= means[column] } }
        return values
    }
}
