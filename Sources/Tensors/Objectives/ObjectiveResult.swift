/// A loss and its gradient with respect to the embeddings it was computed from.
public struct ObjectiveResult: Sendable {
    public let loss: Float
    /// Same shape as the embeddings the objective was given.
    public let gradient: Tensor
}
