import Testing
import Tensors
@testable import Trainer

@Suite struct NearestNeighboursTests {
    /// Three well-separated clusters on the unit circle's neighbourhood, and one impostor: every
    /// row but the impostor is classified by its neighbours.
    @Test func leaveOneOutAccuracyCountsRowsTheirNeighboursRecognise() {
        var random = SeededRandom(seed: 5)
        var rows: [Float] = []
        var labels: [Int] = []
        for label in 0..<3 {
            for _ in 0..<10 {
                var vector: [Float] = [0, 0, 0]
                vector[label] = 1
                vector = vector.map { $0 + random.normal() * 0.05 }
                rows += vector
                labels.append(label)
            }
        }
        labels[0] = 2  // an impostor among the label-0 cluster
        let embeddings = L2Normalize().forward(Tensor(shape: [30, 3], values: rows))
        #expect(NearestNeighbours.leaveOneOutAccuracy(embeddings, labels: labels, k: 5) == 29.0 / 30.0)
    }
}
