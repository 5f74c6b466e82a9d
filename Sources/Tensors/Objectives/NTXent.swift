import Foundation

/// SimCLR's normalised temperature-scaled cross-entropy (Chen et al., 2020). The embeddings are
/// the 2N rows of two views of N images, view A first, each row L2-normalised. Row i's positive
/// is the other view of the same image; the other 2N − 2 rows are its negatives:
/// ℓᵢ = −log( exp(sᵢ,ₚ₍ᵢ₎/τ) / Σₖ≠ᵢ exp(sᵢₖ/τ) ), L = mean ℓᵢ, with s = z·zᵀ.
public enum NTXent {
    public static func evaluate(_ embeddings: Tensor, temperature: Float) -> ObjectiveResult {
        let (rows, dimensions) = (embeddings.shape[0], embeddings.shape[1])
        precondition(rows % 2 == 0, "NT-Xent needs two views of each image")
        let half = rows / 2
        let similarities = BLAS.matmul(embeddings.values, embeddings.values, m: rows, n: rows, k: dimensions, transposeB: true)
        var loss: Double = 0
        // G = ∂L/∂s (diagonal excluded): (softmaxᵢₖ − [k = p(i)]) / (2N τ).
        var gradientOfSimilarities = [Float](repeating: 0, count: rows * rows)
        for row in 0..<rows {
            let positive = row < half ? row + half : row - half
            var largest = -Float.infinity
            for column in 0..<rows where column != row { largest = max(largest, similarities[row * rows + column] / temperature) }
            var sum: Double = 0
            for column in 0..<rows where column != row { sum += exp(Double(similarities[row * rows + column] / temperature - largest)) }
            loss += -Double(similarities[row * rows + positive] / temperature - largest) + log(sum)
            for column in 0..<rows where column != row {
                let softmax = exp(Double(similarities[row * rows + column] / temperature - largest)) / sum
                let target = column == positive ? 1.0 : 0.0
                gradientOfSimilarities[row * rows + column] = Float((softmax - target) / Double(rows)) / temperature
            }
        }
        // s = z·zᵀ, so ∂L/∂z = (G + Gᵀ)·z.
        var symmetric = gradientOfSimilarities
        for row in 0..<rows { for column in 0..<rows { symmetric[row * rows + column] += gradientOfSimilarities[column * rows + row] } }
        let gradient = BLAS.matmul(symmetric, embeddings.values, m: rows, n: dimensions, k: rows)
        return ObjectiveResult(loss: Float(loss / Double(rows)), gradient: Tensor(shape: embeddings.shape, values: gradient))
    }
}
