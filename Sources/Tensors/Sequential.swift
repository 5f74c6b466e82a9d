/// Layers applied in order; backward runs them in reverse. Its parameters are its layers'
/// parameters, concatenated in layer order.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    public var parameters: [Tensor] {
        get { layers.flatMap(\.parameters) }
        set { distribute(newValue) { $0.parameters = $1 } }
    }

    public var gradients: [Tensor] {
        get { layers.flatMap(\.gradients) }
        set { distribute(newValue) { $0.gradients = $1 } }
    }

    public func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1.forward($0) }
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        layers.reversed().reduce(gradOutput) { $1.backward($0) }
    }

    private func distribute(_ tensors: [Tensor], _ assign: (any Layer, [Tensor]) -> Void) {
        var offset = 0
        for layer in layers {
            let count = layer.parameters.count
            assign(layer, Array(tensors[offset..<(offset + count)]))
            offset += count
        }
    }
}
