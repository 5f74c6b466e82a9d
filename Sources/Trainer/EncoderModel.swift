import Tensors

/// A small convolutional encoder for [batch, 3, side, side] images (side divisible by 4) and the
/// projection head the objectives train through. The embedding is the encoder's output,
/// L2-normalised; the head (linear, batch centring, ReLU, linear, L2 normalisation) is used only
/// for training, as in SimCLR and SwAV.
public final class EncoderModel {
    public let encoder: Sequential
    public let head: Sequential
    public let embeddingDimension: Int
    public let projectionDimension: Int

    public init(width: Int = 16, embeddingDimension: Int = 64, projectionDimension: Int = 32, random: inout SeededRandom) {
        self.embeddingDimension = embeddingDimension
        self.projectionDimension = projectionDimension
        encoder = Sequential([
            Conv2D(inChannels: 3, outChannels: width, kernel: 3, padding: 1, computesInputGradient: false, random: &random),
            GroupNorm(groups: 4, channels: width), ReLU(),
            AveragePool2(),
            Conv2D(inChannels: width, outChannels: 2 * width, kernel: 3, padding: 1, random: &random),
            GroupNorm(groups: 4, channels: 2 * width), ReLU(), AveragePool2(),
            Conv2D(inChannels: 2 * width, outChannels: embeddingDimension, kernel: 3, padding: 1, random: &random),
            GroupNorm(groups: 4, channels: embeddingDimension), ReLU(), GlobalAveragePool(),
        ])
        head = Sequential([
            Linear(inputs: embeddingDimension, outputs: 2 * embeddingDimension, random: &random), BatchCentering(), ReLU(),
            Linear(inputs: 2 * embeddingDimension, outputs: projectionDimension, random: &random), L2Normalize(),
        ])
    }

    /// Training path: images → encoder → head → unit-length projections.
    func project(_ images: Tensor) -> Tensor {
        head.forward(encoder.forward(images))
    }

    /// Back through head and encoder, accumulating every parameter's gradient.
    func backward(_ gradient: Tensor) {
        _ = encoder.backward(head.backward(gradient))
    }

    /// Unit-length embeddings of [batch, 3, side, side] images.
    public func embed(_ images: Tensor) -> Tensor {
        L2Normalize().forward(encoder.forward(images))
    }
}
