@testable import Tensors

extension GroupNorm: ReferenceForward {
    /// Per sample and group: x̂ = (x − mean) / √(variance + ε), the population variance;
    /// then y = γ[c]·x̂ + β[c] per channel.
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        let (gamma, beta) = (parameters[0].values, parameters[1].values)
        let (batch, channels) = (input.shape[0], input.shape[1])
        let plane = input.shape[2...].reduce(1, *)
        let perGroup = channels / groups
        var output = input
        for n in 0..<batch {
            for group in 0..<groups {
                let range = ((n * channels + group * perGroup) * plane)..<((n * channels + (group + 1) * perGroup) * plane)
                let mean = input.values[range].reduce(0, +) / Double(range.count)
                let variance = input.values[range].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(range.count)
                let deviation = (variance + Double(epsilon)).squareRoot()
                for index in range {
                    let channel = (index / plane) % channels
                    output.values[index] = gamma[channel] * (input.values[index] - mean) / deviation + beta[channel]
                }
            }
        }
        return output
    }
}
