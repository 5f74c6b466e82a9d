import Foundation

/// Stochastic gradient descent with momentum and weight decay, its learning rate warmed up
/// linearly and then decayed along a cosine to zero (as in SimCLR and SwAV).
public struct SGD: Sendable {
    public let baseLearningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    public let warmupSteps: Int
    public let totalSteps: Int
    private var velocity: [[Float]] = []

    public init(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 1e-4, warmupSteps: Int, totalSteps: Int) {
        baseLearningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.warmupSteps = warmupSteps
        self.totalSteps = max(1, totalSteps)
    }

    /// The learning rate at `step` (0-based).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return baseLearningRate * Float(step + 1) / Float(warmupSteps) }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        return baseLearningRate * Float(0.5 * (1 + cos(Double.pi * min(1, progress))))
    }

    /// v ← μ·v + (g + λ·w); w ← w − η·v.
    public mutating func step(_ parameters: inout [Tensor], gradients: [Tensor], at step: Int) {
        if velocity.isEmpty { velocity = parameters.map { [Float](repeating: 0, count: $0.count) } }
        let rate = learningRate(at: step)
        for tensor in parameters.indices {
            for index in parameters[tensor].values.indices {
                let gradient = gradients[tensor].values[index] + weightDecay * parameters[tensor].values[index]
                velocity[tensor][index] = momentum * velocity[tensor][index] + gradient
                parameters[tensor].values[index] -= rate * velocity[tensor][index]
            }
        }
    }
}
