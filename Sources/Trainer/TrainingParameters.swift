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
    /// NT-Xent and SwAV temperature.
    public var temperature: Float = 0.1
    /// SwAV prototypes.
    public var prototypes = 64
    /// How the two views of an image are made.
    public var augmentations = Augmentations()

    public init() {}
}
