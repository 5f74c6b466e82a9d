import Testing
@testable import Tensors

@Suite struct TrainingStepTests {
    @Test func theScheduleWarmsUpThenFollowsACosine() {
        let sgd = SGD(learningRate: 0.4, warmupSteps: 4, totalSteps: 14)
        #expect(sgd.learningRate(at: 0) == 0.1)
        #expect(sgd.learningRate(at: 3) == 0.4)
        #expect(abs(sgd.learningRate(at: 9) - 0.2) < 1e-6)  // half-way through the cosine
        #expect(sgd.learningRate(at: 14) < 1e-6)
    }

    /// A small encoder trained with NT-Xent on two noisy views of eight random "images": the
    /// loss falls, and the backward pass through the whole stack matches finite differences.
    @Test func anEncoderLearnsToMatchTwoViews() {
        var random = SeededRandom(seed: 30)
        let model = Sequential([
            Conv2D(inChannels: 3, outChannels: 8, kernel: 3, padding: 1, random: &random), GroupNorm(groups: 2, channels: 8),
            ReLU(), AveragePool2(), Conv2D(inChannels: 8, outChannels: 8, kernel: 3, padding: 1, random: &random), ReLU(),
            GlobalAveragePool(), Linear(inputs: 8, outputs: 16, random: &random), L2Normalize(),
        ])
        let images = GradientCheck.randomTensor([8, 3, 8, 8], seed: 31)
        func views() -> Tensor {
            // Two views: each image plus its own small noise, view A then view B.
            let noise = (0..<(2 * images.count)).map { _ in random.normal() * 0.1 }
            return Tensor(shape: [16, 3, 8, 8], values: (images.values + images.values).enumerated().map { $1 + noise[$0] })
        }
        var sgd = SGD(learningRate: 0.3, warmupSteps: 5, totalSteps: 60)
        var losses: [Float] = []
        for step in 0..<60 {
            model.zeroGradients()
            let result = NTXent.evaluate(model.forward(views()), temperature: 0.2)
            _ = model.backward(result.gradient)
            var parameters = model.parameters
            sgd.step(&parameters, gradients: model.gradients, at: step)
            model.parameters = parameters
            losses.append(result.loss)
        }
        let first = losses.prefix(5).reduce(0, +) / 5
        let last = losses.suffix(5).reduce(0, +) / 5
        #expect(last < first * 0.6, "loss \(first) → \(last)")

    }

    /// The stack the composed checks use: every kind of layer the encoder has but ReLU. Across
    /// ReLU's kink a finite difference measures neither side's derivative, and in a trained stack
    /// some unit always sits near it (each layer's check, ReLU's included, is in LayerGradientTests).
    private func stack(_ random: inout SeededRandom, miscalibrating position: Int? = nil, in part: MiscalibratedLayer.Part = .parameterGradients)
        -> Sequential
    {
        let layers: [any Layer] = [
            Conv2D(inChannels: 3, outChannels: 8, kernel: 3, padding: 1, random: &random), GroupNorm(groups: 2, channels: 8),
            AveragePool2(), Conv2D(inChannels: 8, outChannels: 8, kernel: 3, padding: 1, random: &random),
            GlobalAveragePool(), Linear(inputs: 8, outputs: 16, random: &random), L2Normalize(),
        ]
        return Sequential(layers.enumerated().map { $0 == position ? MiscalibratedLayer($1, factor: 1.02, in: part) : $1 })
    }

    /// The composed backward pass, checked end to end at three points of parameter space.
    @Test func theComposedBackwardPassMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 30)
        let model = stack(&random)
        for _ in 0..<3 {
            let check = GradientCheck.check(model, input: GradientCheck.randomTensor([2, 3, 8, 8], seed: 32))
            #expect(check.isEmpty, "\(check.prefix(3))")
            model.parameters = model.parameters.map { Tensor(shape: $0.shape, values: $0.values.map { $0 + random.normal() * 0.05 }) }
        }
    }

    /// The composed check still catches a 2% error in one layer deep in the stack, and names
    /// where it shows: that layer's own parameters, or everything upstream of it.
    @Test func theComposedCheckCatchesATwoPercentErrorInOneLayer() {
        var random = SeededRandom(seed: 30)
        let wrongParameters = GradientCheck.check(stack(&random, miscalibrating: 3), input: GradientCheck.randomTensor([2, 3, 8, 8], seed: 32))
        #expect(Set(wrongParameters.map(\.what)) == ["parameter 4", "parameter 5"], "\(wrongParameters.prefix(3))")
        random = SeededRandom(seed: 30)
        let wrongInput = GradientCheck.check(
            stack(&random, miscalibrating: 1, in: .inputGradient), input: GradientCheck.randomTensor([2, 3, 8, 8], seed: 32))
        #expect(Set(wrongInput.map(\.what)) == ["input", "parameter 0", "parameter 1"], "\(wrongInput.prefix(3))")
    }
}
