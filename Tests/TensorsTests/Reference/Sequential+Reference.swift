@testable import Tensors

extension Sequential: ReferenceForward {
    /// Each layer's reference in order, each given its own slice of the parameters.
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        var offset = 0
        return layers.reduce(input) { value, layer in
            let count = layer.parameters.count
            defer { offset += count }
            return layer.reference.referenceForward(value, parameters: Array(parameters[offset..<(offset + count)]))
        }
    }
}
