/// What a training job is asked to do (`POST /v1/training/jobs`).
public struct TrainingParameters: Sendable, Equatable {
    public enum Objective: String, Sendable, CaseIterable {
        case swav
        case simclr
    }

    public var objective: Objective = .swav
    public var epochs = 5
    public var batchSize = 64
    public var embeddingDimension = 64
    public var imageSide = 32
    public var learningRate: Float = 0.1
    public var seed: UInt64 = 1
    /// SwAV and NT-Xent temperature (see `defaultTemperature`).
    public var temperature: Float = 0.2
    /// SwAV prototypes.
    public var prototypes = 64
    /// How the two views of an image are made.
    public var augmentations = Augmentations()

    public init() {}

    /// What the study in bench/reference_trainer.py found to work on this encoder: SwAV at 0.1
    /// still collapsed on small sets even with the centred head, 0.2 never did; NT-Xent learns
    /// more at 0.5 than at SimCLR's 0.1.
    public static func defaultTemperature(for objective: Objective) -> Float {
        objective == .simclr ? 0.5 : 0.2
    }
}
