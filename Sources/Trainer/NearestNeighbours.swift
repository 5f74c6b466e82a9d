import Tensors

/// Leave-one-out k-nearest-neighbour classification by cosine similarity: how well embeddings
/// separate classes they were never told about (the evaluation of bench/eval_digits).
public enum NearestNeighbours {
    /// - Parameters:
    ///   - embeddings: [count, dimensions], rows of unit length.
    ///   - labels: one per row.
    /// - Returns: the share of rows whose k most similar other rows vote for their own label
    ///   (ties go to the label with the most similar neighbour).
    public static func leaveOneOutAccuracy(_ embeddings: Tensor, labels: [Int], k: Int = 5) -> Double {
        let (count, dimensions) = (embeddings.shape[0], embeddings.shape[1])
        precondition(labels.count == count && count > k, "need more rows than k, with one label each")
        let similarity = BLAS.matmul(embeddings.values, embeddings.values, m: count, n: count, k: dimensions, transposeB: true)
        var correct = 0
        for row in 0..<count {
            let neighbours = (0..<count).filter { $0 != row }
                .sorted { similarity[row * count + $0] > similarity[row * count + $1] }
                .prefix(k)
            var votes: [Int: (count: Int, best: Float)] = [:]
            for neighbour in neighbours {
                let score = similarity[row * count + neighbour]
                let current = votes[labels[neighbour]] ?? (0, -.infinity)
                votes[labels[neighbour]] = (current.count + 1, max(current.best, score))
            }
            let predicted = votes.max { ($0.value.count, $0.value.best) < ($1.value.count, $1.value.best) }?.key
            if predicted == labels[row] { correct += 1 }
        }
        return Double(correct) / Double(count)
    }
}
