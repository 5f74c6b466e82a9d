import Tensors

/// One self-supervised training run over images already decoded to [3, side, side] planes:
/// every step makes two augmented views of a batch, projects them, and follows the objective's
/// gradient with SGD (warm-up, cosine). Everything random comes from the seed.
public final class TrainingRun {
    public let parameters: TrainingParameters
    public let model: EncoderModel
    private let images: [[Float]]
    private var random: SeededRandom
    private var optimizer: SGD
    /// SwAV's prototypes [K, projection dimension], kept at unit length.
    private var prototypes: Tensor
    public private(set) var losses: [Float] = []

    public var stepsPerEpoch: Int { steps(forImages: images.count) }
    public var totalSteps: Int { parameters.epochs * stepsPerEpoch }
    /// Every image's encoder input, as given.
    public var imageCount: Int { images.count }

    public init(parameters: TrainingParameters, images: [[Float]]) {
        precondition(images.allSatisfy { $0.count == 3 * parameters.imageSide * parameters.imageSide }, "images must be [3, side, side]")
        self.parameters = parameters
        self.images = images
        random = SeededRandom(seed: parameters.seed)
        model = EncoderModel(embeddingDimension: parameters.embeddingDimension, random: &random)
        let projection = model.projectionDimension
        var generator = random
        let initial = (0..<(parameters.prototypes * projection)).map { _ in generator.normal() }
        random = generator
        prototypes = L2Normalize().forward(Tensor(shape: [parameters.prototypes, projection], values: initial))
        let total = max(1, parameters.epochs * (images.count / max(2, min(parameters.batchSize, max(images.count, 2)))))
        optimizer = SGD(learningRate: parameters.learningRate, warmupSteps: max(1, total / 10), totalSteps: total)
    }

    /// How a run ended.
    public enum Ending: Sendable, Equatable {
        /// Every epoch ran.
        case completed
        /// `shouldContinue` said no (cancellation, shutdown).
        case stopped
        /// Fewer than two images were left to train on (contrastive objectives need pairs).
        case tooFewImages(remaining: Int)
    }

    /// Runs every step. Before each epoch `beforeEpoch` may narrow the images still allowed
    /// (indices into `images`; the re-check of admissibility), which shortens the plan; before
    /// each later step of an epoch `beforeStep` may narrow them too (an erasure or objection
    /// that arrived meanwhile), and the images it drops leave the rest of the epoch's batches.
    /// `shouldContinue` is asked before each step (cancellation, shutdown) and told the progress,
    /// and told it once more at the end. `afterStep` is told which images a step trained on.
    @discardableResult
    public func run(
        beforeEpoch: (_ epoch: Int) -> [Int]? = { _ in nil }, beforeStep: () -> [Int]? = { nil },
        afterStep: (_ epoch: Int, _ batch: [Int]) -> Void = { _, _ in },
        shouldContinue: (TrainingRunProgress) -> Bool = { _ in true }
    ) -> Ending {
        var active = Array(images.indices)
        var step = 0
        var planned = totalSteps
        for epoch in 0..<parameters.epochs {
            if let allowed = beforeEpoch(epoch), allowed.count != active.count {
                active = allowed.filter { images.indices.contains($0) }
                planned = step + (parameters.epochs - epoch) * steps(forImages: active.count)
            }
            guard active.count >= 2 else { return .tooFewImages(remaining: active.count) }
            let batch = max(2, min(parameters.batchSize, active.count))
            var order = active
            order.shuffle(using: &random)
            var start = 0
            // Full batches only (the last, partial one is dropped), as `steps(forImages:)` counts.
            while start + batch <= order.count {
                if start > 0, let allowed = beforeStep().map(Set.init), !active.allSatisfy(allowed.contains) {
                    active = active.filter(allowed.contains)
                    order = Array(order[..<start]) + order[start...].filter(allowed.contains)
                    guard active.count >= 2 else { return .tooFewImages(remaining: active.count) }
                    let left = (order.count - start) / batch
                    planned = step + left + (parameters.epochs - epoch - 1) * steps(forImages: active.count)
                    continue
                }
                let progress = TrainingRunProgress(epoch: epoch + 1, step: step, totalSteps: planned, loss: losses.last)
                guard shouldContinue(progress) else { return .stopped }
                let images = Array(order[start..<(start + batch)])
                losses.append(trainStep(images, step: step))
                afterStep(epoch, images)
                step += 1
                start += batch
            }
        }
        _ = shouldContinue(TrainingRunProgress(epoch: parameters.epochs, step: step, totalSteps: step, loss: losses.last))
        return .completed
    }

    /// Full batches in an epoch over `count` images (the last, partial batch is dropped).
    private func steps(forImages count: Int) -> Int {
        count / max(2, min(parameters.batchSize, max(count, 2)))
    }

    private func trainStep(_ batch: [Int], step: Int) -> Float {
        let side = parameters.imageSide
        let augmentations = parameters.augmentations
        // Two views of every image: view A of all, then view B of all.
        var views: [Float] = []
        for _ in 0..<2 {
            for index in batch { views += augmentations.view(of: images[index], side: side, outputSide: side, random: &random) }
        }
        model.encoder.zeroGradients()
        model.head.zeroGradients()
        let projections = model.project(Tensor(shape: [2 * batch.count, 3, side, side], values: views))
        let loss: Float
        switch parameters.objective {
        case .simclr:
            let result = NTXent.evaluate(projections, temperature: parameters.temperature)
            model.backward(result.gradient)
            loss = result.loss
        case .swav:
            loss = swavStep(projections, batch: batch.count, step: step)
        }
        var weights = model.encoder.parameters + model.head.parameters
        let gradients = model.encoder.gradients + model.head.gradients
        optimizer.step(&weights, gradients: gradients, at: step)
        let encoderCount = model.encoder.parameters.count
        model.encoder.parameters = Array(weights[..<encoderCount])
        model.head.parameters = Array(weights[encoderCount...])
        return loss
    }

    /// Scores against the prototypes, Sinkhorn codes (no gradient), swapped prediction; the
    /// prototypes follow their own gradient and are put back on the unit sphere.
    private func swavStep(_ projections: Tensor, batch: Int, step: Int) -> Float {
        let (dimensions, count) = (projections.shape[1], prototypes.shape[0])
        let scores = BLAS.matmul(projections.values, prototypes.values, m: 2 * batch, n: count, k: dimensions, transposeB: true)
        let scoresA = Tensor(shape: [batch, count], values: Array(scores[..<(batch * count)]))
        let scoresB = Tensor(shape: [batch, count], values: Array(scores[(batch * count)...]))
        let result = SwAV.swappedPrediction(
            scoresA: scoresA, scoresB: scoresB, codesA: SinkhornKnopp.codes(scoresA), codesB: SinkhornKnopp.codes(scoresB),
            temperature: parameters.temperature)
        let gradientScores = result.gradientA.values + result.gradientB.values
        // scores = z·Cᵀ: ∂L/∂z = G·C, ∂L/∂C = Gᵀ·z.
        let gradientProjections = BLAS.matmul(gradientScores, prototypes.values, m: 2 * batch, n: dimensions, k: count)
        let gradientPrototypes = BLAS.matmul(gradientScores, projections.values, m: count, n: dimensions, k: 2 * batch, transposeA: true)
        model.backward(Tensor(shape: projections.shape, values: gradientProjections))
        let rate = optimizer.learningRate(at: step)
        prototypes.values = zip(prototypes.values, gradientPrototypes).map { $0 - rate * $1 }
        prototypes = L2Normalize().forward(prototypes)
        return result.loss
    }
}
