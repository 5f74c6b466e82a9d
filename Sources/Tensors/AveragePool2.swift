/// Average over non-overlapping 2×2 windows: [N, C, H, W] → [N, C, H/2, W/2] (H and W even).
public final class AveragePool2: Layer {
    public var parameters: [Tensor] = []
    public var gradients: [Tensor] = []
    private var shape: [Int] = []

    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape[2] % 2 == 0 && input.shape[3] % 2 == 0, "AveragePool2 needs even sides, got \(input.shape)")
        shape = input.shape
        let (planes, height, width) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        let (outH, outW) = (height / 2, width / 2)
        var output = [Float](repeating: 0, count: planes * outH * outW)
        for plane in 0..<planes {
            for y in 0..<outH {
                for x in 0..<outW {
                    let base = (plane * height + 2 * y) * width + 2 * x
                    output[(plane * outH + y) * outW + x] =
                        (input.values[base] + input.values[base + 1] + input.values[base + width] + input.values[base + width + 1]) / 4
                }
            }
        }
        return Tensor(shape: [input.shape[0], input.shape[1], outH, outW], values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (planes, height, width) = (shape[0] * shape[1], shape[2], shape[3])
        let (outH, outW) = (height / 2, width / 2)
        var gradInput = [Float](repeating: 0, count: shape.reduce(1, *))
        for plane in 0..<planes {
            for y in 0..<outH {
                for x in 0..<outW {
                    let share = gradOutput.values[(plane * outH + y) * outW + x] / 4
                    let base = (plane * height + 2 * y) * width + 2 * x
                    for offset in [0, 1, width, width + 1] { gradInput[base + offset] = share }
                }
            }
        }
        return Tensor(shape: shape, values: gradInput)
    }
}
