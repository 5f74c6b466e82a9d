import Foundation

/// SwAV's online codes (Caron et al., 2020, Algorithm 1): the soft assignment Q of N samples to
/// K prototypes that stays close to exp(scores/ε) while splitting the batch equally among the
/// prototypes, by alternately normalising prototype rows and sample columns.
public enum SinkhornKnopp {
    /// - Parameters:
    ///   - scores: [N, K] similarities of samples to prototypes.
    /// - Returns: [N, K] codes; each row sums to 1, each column to N/K.
    public static func codes(_ scores: Tensor, epsilon: Float = 0.05, iterations: Int = 3) -> Tensor {
        let (samples, prototypes) = (scores.shape[0], scores.shape[1])
        let largest = scores.values.max() ?? 0
        // Q is K × N in the paper; kept here as [N, K] and normalised along each axis in turn.
        var q = scores.values.map { Double(exp(($0 - largest) / epsilon)) }
        let total = q.reduce(0, +)
        q = q.map { $0 / total }
        for _ in 0..<iterations {
            for prototype in 0..<prototypes {  // each prototype gets 1/K of the mass
                let sum = (0..<samples).reduce(0.0) { $0 + q[$1 * prototypes + prototype] }
                for sample in 0..<samples { q[sample * prototypes + prototype] /= sum * Double(prototypes) }
            }
            for sample in 0..<samples {  // each sample 1/N
                let range = (sample * prototypes)..<((sample + 1) * prototypes)
                let sum = q[range].reduce(0, +)
                for index in range { q[index] /= sum * Double(samples) }
            }
        }
        return Tensor(shape: scores.shape, values: q.map { Float($0 * Double(samples)) })
    }
}
