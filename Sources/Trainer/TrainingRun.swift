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

    public var stepsPerEpoch: Int { max(1, images.count / max(2, min(parameters.batchSize, images.count))) }
    public var totalSteps: Int { parameters.epochs * stepsPerEpoch }

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
        let total = parameters.epochs * max(1, images.count / max(2, min(parameters.batchSize, images.count)))
        optimizer = SGD(learningRate: parameters.learningRate, warmupSteps: max(1, total / 10), totalSteps: total)
    }

    /// Runs every step; `shouldContinue` is asked before each one (cancellation, shutdown) and
    /// told the progress so far.
    public func run(shouldContinue: (_ step: Int, _ loss: Float?) -> Bool = { _, _ in true }) {
        let batch = max(2, min(parameters.batchSize, images.count))
        var step = 0
        for _ in 0..<parameters.epochs {
            var order = Array(images.indices)
            order.shuffle(using: &random)
            for start in stride(from: 0, to: stepsPerEpoch * batch, by: batch) {
                guard shouldContinue(step, losses.last) else { return }
                losses.append(trainStep(Array(order[start..<(start + batch)]), step: step))
                step += 1
            }
        }
        _ = shouldContinue(step, losses.last)
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
            loss = swavStep(projections, batch: batch.count)
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
    private func swavStep(_ projections: Tensor, batch: Int) -> Float {
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
        let rate = optimizer.learningRate(at: losses.count)
        prototypes.values = zip(prototypes.values, gradientPrototypes).map { $0 - rate * $1 }
        prototypes = L2Normalize().forward(prototypes)
        return result.loss
    }
}
