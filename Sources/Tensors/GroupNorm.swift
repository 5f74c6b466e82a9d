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

    // Loops run over raw buffers, one channel plane at a time: indexing the arrays element by
    // element (with a division per element to find the channel) cost more than the sgemm calls.
    public func forward(_ input: Tensor) -> Tensor {
        shape = input.shape
        let (batch, channels) = (input.shape[0], input.shape[1])
        let plane = input.shape[2...].reduce(1, *)
        let perGroup = channels / groups
        let groupSize = perGroup * plane
        // Every element of these is written below.
        normalised = [Float](unsafeUninitializedCapacity: input.count) { _, count in count = input.count }
        inverseDeviation = [Float](repeating: 0, count: batch * groups)
        var output = [Float](unsafeUninitializedCapacity: input.count) { _, count in count = input.count }
        input.values.withUnsafeBufferPointer { x in
            normalised.withUnsafeMutableBufferPointer { xHat in
                output.withUnsafeMutableBufferPointer { y in
                    parameters[0].values.withUnsafeBufferPointer { gamma in
                        parameters[1].values.withUnsafeBufferPointer { beta in
                            for sampleGroup in 0..<(batch * groups) {
                                let start = sampleGroup * groupSize
                                let mean = VectorSums.sum(x.baseAddress! + start, groupSize) / Float(groupSize)
                                let squares = VectorSums.squaredDeviations(x.baseAddress! + start, groupSize, mean: mean)
                                let inverse = 1 / (squares / Float(groupSize) + epsilon).squareRoot()
                                inverseDeviation[sampleGroup] = inverse
                                for member in 0..<perGroup {
                                    let channel = (sampleGroup % groups) * perGroup + member
                                    let (scale, shift) = (gamma[channel], beta[channel])
                                    let base = start + member * plane
                                    for index in base..<(base + plane) {
                                        let value = (x[index] - mean) * inverse
                                        xHat[index] = value
                                        y[index] = value * scale + shift
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: input.shape, values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (batch, channels) = (shape[0], shape[1])
        let plane = shape[2...].reduce(1, *)
        let perGroup = channels / groups
        let groupSize = perGroup * plane
        let size = Float(groupSize)
        var gradInput = [Float](unsafeUninitializedCapacity: gradOutput.count) { _, count in count = gradOutput.count }  // all written
        var gradGamma = gradients[0].values
        var gradBeta = gradients[1].values
        gradOutput.values.withUnsafeBufferPointer { dy in
            normalised.withUnsafeBufferPointer { xHat in
                gradInput.withUnsafeMutableBufferPointer { dx in
                    parameters[0].values.withUnsafeBufferPointer { gamma in
                        for sampleGroup in 0..<(batch * groups) {
                            let start = sampleGroup * groupSize
                            // dx = (1/M)·σ⁻¹·(M·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), with dx̂ = dy·γ.
                            var sum: Float = 0
                            var sumTimesNormalised: Float = 0
                            for member in 0..<perGroup {
                                let channel = (sampleGroup % groups) * perGroup + member
                                let base = start + member * plane
                                let dyTimesXHat = VectorSums.dot(dy.baseAddress! + base, xHat.baseAddress! + base, plane)
                                let dySum = VectorSums.sum(dy.baseAddress! + base, plane)
                                gradGamma[channel] += dyTimesXHat
                                gradBeta[channel] += dySum
                                sum += dySum * gamma[channel]
                                sumTimesNormalised += dyTimesXHat * gamma[channel]
                            }
                            let inverse = inverseDeviation[sampleGroup]
                            for member in 0..<perGroup {
                                let channel = (sampleGroup % groups) * perGroup + member
                                let scale = gamma[channel] * size
                                let base = start + member * plane
                                for index in base..<(base + plane) {
                                    dx[index] = inverse / size * (scale * dy[index] - sum - xHat[index] * sumTimesNormalised)
                                }
                            }
                        }
                    }
                }
            }
        }
        gradients[0].values = gradGamma
        gradients[1].values = gradBeta
        return Tensor(shape: shape, values: gradInput)
    }
}
