/// Where a running job is: the epoch under way (1-based once training starts), steps done, the
/// steps planned, and the latest step's loss.
public struct TrainingProgress: Sendable, Equatable {
    public var epoch: Int
    public var step: Int
    public var totalSteps: Int
    public var loss: Double?

    public init(epoch: Int = 0, step: Int = 0, totalSteps: Int = 0, loss: Double? = nil) {
        self.epoch = epoch
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
    }
}
