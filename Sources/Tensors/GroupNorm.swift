/// Group normalisation (Wu & He, 2018) over [batch, channels, height, width]: each sample's
/// channels are split into groups, each group normalised to zero mean and unit variance, then
/// scaled and shifted per channel (γ, β). Unlike batch norm it behaves the same in training and
/// when embedding single images, and with the small batches a CPU trainer uses.
public final class GroupNorm: Layer {
    public var parameters: [Tensor]
    public var gradients: [Tensor]
    let groups: Int
    let epsilon: Float = 1e-5
    private var shape: [Int] = []
    private var normalised: [Float] = []
    private var inverseDeviation: [Float] = []  // per (sample, group)

    public init(groups: Int, channels: Int) {
        precondition(channels % groups == 0, "\(channels) channels do not split into \(groups) groups")
        self.groups = groups
        parameters = [Tensor(shape: [channels], values: Array(repeating: 1, count: channels)), Tensor(zeros: [channels])]
        gradients = parameters.map { Tensor(zeros: $0.shape) }
    }

    public func forward(_ input: Tensor) -> Tensor {
        shape = input.shape
        let (batch, channels) = (input.shape[0], input.shape[1])
        let plane = input.shape[2...].reduce(1, *)
        let groupSize = channels / groups * plane
        normalised = [Float](repeating: 0, count: input.count)
        inverseDeviation = [Float](repeating: 0, count: batch * groups)
        var output = [Float](repeating: 0, count: input.count)
        for sample in 0..<batch {
            for group in 0..<groups {
                let start = (sample * groups + group) * groupSize
                let slice = input.values[start..<(start + groupSize)]
                let mean = slice.reduce(0, +) / Float(groupSize)
                let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(groupSize)
                let inverse = 1 / (variance + epsilon).squareRoot()
                inverseDeviation[sample * groups + group] = inverse
                for index in start..<(start + groupSize) {
                    let channel = (index / plane) % channels
                    normalised[index] = (input.values[index] - mean) * inverse
                    output[index] = normalised[index] * parameters[0].values[channel] + parameters[1].values[channel]
                }
            }
        }
        return Tensor(shape: input.shape, values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (batch, channels) = (shape[0], shape[1])
        let plane = shape[2...].reduce(1, *)
        let groupSize = channels / groups * plane
        var gradInput = [Float](repeating: 0, count: gradOutput.count)
        for index in gradOutput.values.indices {
            let channel = (index / plane) % channels
            gradients[0].values[channel] += gradOutput.values[index] * normalised[index]
            gradients[1].values[channel] += gradOutput.values[index]
        }
        for sample in 0..<batch {
            for group in 0..<groups {
                let start = (sample * groups + group) * groupSize
                // dx = (1/M)·σ⁻¹·(M·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), with dx̂ = dy·γ.
                var sum: Float = 0
                var sumTimesNormalised: Float = 0
                for index in start..<(start + groupSize) {
                    let gradNormalised = gradOutput.values[index] * parameters[0].values[(index / plane) % channels]
                    sum += gradNormalised
                    sumTimesNormalised += gradNormalised * normalised[index]
                }
                let inverse = inverseDeviation[sample * groups + group]
                let size = Float(groupSize)
                for index in start..<(start + groupSize) {
                    let gradNormalised = gradOutput.values[index] * parameters[0].values[(index / plane) % channels]
                    gradInput[index] = inverse / size * (size * gradNormalised - sum - normalised[index] * sumTimesNormalised)
                }
            }
        }
        return Tensor(shape: shape, values: gradInput)
    }
}
