import Testing
@testable import Tensors

@Suite struct ObjectiveTests {
    /// Every element of a Float32 gradient against central differences of a Double reference
    /// loss, within `GradientTolerance`.
    private func expectGradient(
        _ analytic: Tensor, at point: Tensor, sourceLocation: SourceLocation = #_sourceLocation, _ loss: (DoubleTensor) -> Double
    ) {
        let scale = analytic.values.reduce(0) { max($0, Double(abs($1))) }
        let start = DoubleTensor(point)
        for index in 0..<analytic.count {
            let numeric = GradientTolerance.centralDifference(at: start.values[index]) { value in
                var moved = start
                moved.values[index] = value
                return loss(moved)
            }
            #expect(
                GradientTolerance.accepts(analytic: Double(analytic.values[index]), numeric: numeric, scale: scale),
                "[\(index)]: analytic \(analytic.values[index]), numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }

    @Test func ntXentGradient() {
        let embeddings = GradientCheck.randomTensor([6, 4], seed: 20)
        let result = NTXent.evaluate(embeddings, temperature: 0.5)
        expectGradient(result.gradient, at: embeddings) { ObjectiveReference.ntXentLoss($0, temperature: 0.5) }
        // The loss itself, which the job's progress reports, agrees too.
        #expect(abs(Double(result.loss) - ObjectiveReference.ntXentLoss(DoubleTensor(embeddings), temperature: 0.5)) < 1e-5)
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
        let (a, b, qA, qB) = (DoubleTensor(scoresA), DoubleTensor(scoresB), DoubleTensor(codesA), DoubleTensor(codesB))
        expectGradient(result.gradientA, at: scoresA) {
            ObjectiveReference.swappedPredictionLoss(scoresA: $0, scoresB: b, codesA: qA, codesB: qB, temperature: 0.1)
        }
        expectGradient(result.gradientB, at: scoresB) {
            ObjectiveReference.swappedPredictionLoss(scoresA: a, scoresB: $0, codesA: qA, codesB: qB, temperature: 0.1)
        }
    }
}
