@testable import Tensors

// The parameter-free layers' references: each a line or two of its definition.

extension ReLU: ReferenceForward {
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        DoubleTensor(shape: input.shape, values: input.values.map { max(0, $0) })
    }
}

extension L2Normalize: ReferenceForward {
    /// Each row divided by its Euclidean length (at least ε).
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        let columns = input.shape[1]
        var output = input
        for row in 0..<input.shape[0] {
            let range = (row * columns)..<((row + 1) * columns)
            let length = max(input.values[range].reduce(0) { $0 + $1 * $1 }.squareRoot(), Double(epsilon))
            for index in range { output.values[index] /= length }
        }
        return output
    }
}

extension AveragePool2: ReferenceForward {
    /// out[n, c, y, x] = mean of in[n, c, 2y + i, 2x + j] over i, j ∈ {0, 1}.
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        let (planes, height, width) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        var output = DoubleTensor(zeros: [input.shape[0], input.shape[1], height / 2, width / 2])
        for plane in 0..<planes {
            for y in 0..<(height / 2) {
                for x in 0..<(width / 2) {
                    let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map { input.values[(plane * height + 2 * y + $0) * width + 2 * x + $1] }
                    output.values[(plane * height / 2 + y) * width / 2 + x] = window.reduce(0, +) / 4
                }
            }
        }
        return output
    }
}

extension GlobalAveragePool: ReferenceForward {
    /// out[n, c] = mean over the plane of in[n, c].
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        let plane = input.shape[2] * input.shape[3]
        let means = (0..<(input.shape[0] * input.shape[1])).map { input.values[($0 * plane)..<(($0 + 1) * plane)].reduce(0, +) / Double(plane) }
        return DoubleTensor(shape: [input.shape[0], input.shape[1]], values: means)
    }
}

extension BatchCentering: ReferenceForward {
    /// Each feature minus its mean over the batch.
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        let (batch, features) = (input.shape[0], input.shape[1])
        var output = input
        for feature in 0..<features {
            let mean = (0..<batch).reduce(0) { $0 + input.values[$1 * features + feature] } / Double(batch)
            for row in 0..<batch { output.values[row * features + feature] -= mean }
        }
        return output
    }
}
