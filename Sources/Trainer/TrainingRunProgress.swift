/// Where a run is: the epoch under way (1-based), steps done, steps planned, the last loss.
public struct TrainingRunProgress: Sendable, Equatable {
    public let epoch: Int
    public let step: Int
    public let totalSteps: Int
    public let loss: Float?
}
