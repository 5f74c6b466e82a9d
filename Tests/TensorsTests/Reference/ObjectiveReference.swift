import Foundation

/// The objectives' losses written again in Double from their definitions, without BLAS, for
/// their gradient checks (see `ReferenceForward` for why the checks difference Double).
enum ObjectiveReference {
    /// NT-Xent: the mean over rows i of −log( exp(sᵢ,ₚ₍ᵢ₎/τ) / Σₖ≠ᵢ exp(sᵢₖ/τ) ), s = z·zᵀ, where
    /// p(i) is the other view of row i's image (views A then B).
    static func ntXentLoss(_ embeddings: DoubleTensor, temperature: Double) -> Double {
        let (rows, dimensions) = (embeddings.shape[0], embeddings.shape[1])
        func similarity(_ i: Int, _ k: Int) -> Double {
            (0..<dimensions).reduce(0) { $0 + embeddings.values[i * dimensions + $1] * embeddings.values[k * dimensions + $1] }
        }
        let losses = (0..<rows).map { row in
            let positive = (row + rows / 2) % rows
            let denominator = (0..<rows).filter { $0 != row }.reduce(0) { $0 + exp(similarity(row, $1) / temperature) }
            return -log(exp(similarity(row, positive) / temperature) / denominator)
        }
        return losses.reduce(0, +) / Double(rows)
    }

    /// SwAV's swapped prediction: ½·(CE(scores A, codes B) + CE(scores B, codes A)), each the mean
    /// over samples of −Σₖ q·log softmax(scores/τ), with the codes held constant.
    static func swappedPredictionLoss(
        scoresA: DoubleTensor, scoresB: DoubleTensor, codesA: DoubleTensor, codesB: DoubleTensor, temperature: Double
    ) -> Double {
        func crossEntropy(_ scores: DoubleTensor, _ targets: DoubleTensor) -> Double {
            let (samples, prototypes) = (scores.shape[0], scores.shape[1])
            let total = (0..<samples).reduce(0.0) { loss, sample in
                let row = (sample * prototypes)..<((sample + 1) * prototypes)
                let normaliser = scores.values[row].reduce(0) { $0 + exp($1 / temperature) }
                return loss - row.reduce(0) { $0 + targets.values[$1] * log(exp(scores.values[$1] / temperature) / normaliser) }
            }
            return total / Double(samples)
        }
        return (crossEntropy(scoresA, codesB) + crossEntropy(scoresB, codesA)) / 2
    }
}
