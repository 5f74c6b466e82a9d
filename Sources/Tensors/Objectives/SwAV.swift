import Foundation

/// SwAV's swapped prediction (Caron et al., 2020): the code of one view is predicted from the
/// other view's scores against the prototypes.
/// L = −½ · mean over samples of Σₖ [ q_b log p_a + q_a log p_b ], p = softmax(scores / τ).
/// The codes come from `SinkhornKnopp` and are constants here (no gradient flows through them).
public enum SwAV {
    /// - Parameters:
    ///   - scoresA, scoresB: [N, K] scores of the two views against the prototypes.
    ///   - codesA, codesB: their Sinkhorn codes.
    /// - Returns: the loss and ∂L/∂scores for each view.
    public static func swappedPrediction(
        scoresA: Tensor, scoresB: Tensor, codesA: Tensor, codesB: Tensor, temperature: Float
    ) -> (loss: Float, gradientA: Tensor, gradientB: Tensor) {
        let (loss1, gradientA) = crossEntropy(scores: scoresA, targets: codesB, temperature: temperature)
        let (loss2, gradientB) = crossEntropy(scores: scoresB, targets: codesA, temperature: temperature)
        return ((loss1 + loss2) / 2, gradientA, gradientB)
    }

    /// mean over rows of −Σₖ targets·log softmax(scores/τ), halved for the two swapped terms.
    private static func crossEntropy(scores: Tensor, targets: Tensor, temperature: Float) -> (Float, Tensor) {
        let (samples, prototypes) = (scores.shape[0], scores.shape[1])
        var loss: Double = 0
        var gradient = [Float](repeating: 0, count: scores.count)
        for sample in 0..<samples {
            let range = (sample * prototypes)..<((sample + 1) * prototypes)
            let largest = range.map { scores.values[$0] / temperature }.max() ?? 0
            let sum = range.reduce(0.0) { $0 + exp(Double(scores.values[$1] / temperature - largest)) }
            let targetMass = range.reduce(0.0) { $0 + Double(targets.values[$1]) }
            for index in range {
                let logProbability = Double(scores.values[index] / temperature - largest) - log(sum)
                loss -= Double(targets.values[index]) * logProbability
                // ∂/∂scores of −Σ q log softmax(s/τ) = (p·Σq − q) / τ, averaged, halved.
                let probability = exp(logProbability)
                gradient[index] = Float((probability * targetMass - Double(targets.values[index])) / Double(samples) / 2) / temperature
            }
        }
        return (Float(loss / Double(samples)), Tensor(shape: scores.shape, values: gradient))
    }
}
