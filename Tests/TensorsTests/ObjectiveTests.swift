import Testing
@testable import Tensors

@Suite struct ObjectiveTests {
    /// Central differences of a scalar function of a tensor, in Double around Float values.
    private func numericGradient(_ tensor: Tensor, at index: Int, epsilon: Float = 1e-2, _ loss: (Tensor) -> Float) -> Double {
        var plus = tensor, minus = tensor
        plus.values[index] += epsilon
        minus.values[index] -= epsilon
        return (Double(loss(plus)) - Double(loss(minus))) / (2 * Double(epsilon))
    }

    private func expectClose(_ analytic: Float, _ numeric: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = abs(Double(analytic) - numeric) / max(1e-2, abs(numeric) + abs(Double(analytic)))
        #expect(error < 0.02, "analytic \(analytic), numeric \(numeric)", sourceLocation: sourceLocation)
    }

    @Test func ntXentGradient() {
        let embeddings = GradientCheck.randomTensor([6, 4], seed: 20)
        let result = NTXent.evaluate(embeddings, temperature: 0.5)
        for index in stride(from: 0, to: embeddings.count, by: 1) {
            expectClose(result.gradient.values[index], numericGradient(embeddings, at: index) { NTXent.evaluate($0, temperature: 0.5).loss })
        }
    }

    @Test func ntXentRewardsMatchingViews() {
        // Two views that agree (each image's views equal, images orthogonal) against views that
        // have nothing to do with each other.
        var matching = [Float](repeating: 0, count: 8 * 4)
        for image in 0..<4 { matching[image * 4 + image] = 1; matching[(image + 4) * 4 + image] = 1 }
        let agree = NTXent.evaluate(Tensor(shape: [8, 4], values: matching), temperature: 0.1).loss
        let L2 = L2Normalize()
        let random = L2.forward(GradientCheck.randomTensor([8, 4], seed: 21))
        let disagree = NTXent.evaluate(random, temperature: 0.1).loss
        #expect(agree < 0.01)
        #expect(disagree > 1)
    }

    @Test func sinkhornSplitsTheBatchEquallyAmongPrototypes() {
        let scores = GradientCheck.randomTensor([12, 4], seed: 22)
        let codes = SinkhornKnopp.codes(scores, epsilon: 0.5, iterations: 30)
        for sample in 0..<12 {
            let sum = (0..<4).reduce(Float(0)) { $0 + codes.values[sample * 4 + $1] }
            #expect(abs(sum - 1) < 1e-4)
        }
        for prototype in 0..<4 {
            let sum = (0..<12).reduce(Float(0)) { $0 + codes.values[$1 * 4 + prototype] }
            #expect(abs(sum - 3) < 1e-2)  // N / K
        }
        // And it keeps each sample's preference: the top code is the top score for most rows.
        let agreeing = (0..<12).filter { sample in
            let row = (0..<4).map { sample * 4 + $0 }
            return row.max { scores.values[$0] < scores.values[$1] } == row.max { codes.values[$0] < codes.values[$1] }
        }.count
        #expect(agreeing >= 8)
    }

    @Test func swappedPredictionGradient() {
        let scoresA = GradientCheck.randomTensor([5, 3], seed: 23)
        let scoresB = GradientCheck.randomTensor([5, 3], seed: 24)
        let codesA = SinkhornKnopp.codes(scoresA, epsilon: 0.5)
        let codesB = SinkhornKnopp.codes(scoresB, epsilon: 0.5)
        let result = SwAV.swappedPrediction(scoresA: scoresA, scoresB: scoresB, codesA: codesA, codesB: codesB, temperature: 0.1)
        for index in 0..<scoresA.count {
            expectClose(result.gradientA.values[index], numericGradient(scoresA, at: index, epsilon: 1e-2) {
                SwAV.swappedPrediction(scoresA: $0, scoresB: scoresB, codesA: codesA, codesB: codesB, temperature: 0.1).loss
            })
            expectClose(result.gradientB.values[index], numericGradient(scoresB, at: index, epsilon: 1e-2) {
                SwAV.swappedPrediction(scoresA: scoresA, scoresB: $0, codesA: codesA, codesB: codesB, temperature: 0.1).loss
            })
        }
    }
}
