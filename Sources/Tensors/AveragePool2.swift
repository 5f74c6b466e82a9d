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
        let output = [Float](unsafeUninitializedCapacity: planes * outH * outW) { output, count in
            input.values.withUnsafeBufferPointer { x in
                for plane in 0..<planes {
                    for y in 0..<outH {
                        for column in 0..<outW {
                            let base = (plane * height + 2 * y) * width + 2 * column
                            output[(plane * outH + y) * outW + column] = (x[base] + x[base + 1] + x[base + width] + x[base + width + 1]) / 4
                        }
                    }
                }
            }
            count = planes * outH * outW
        }
        return Tensor(shape: [input.shape[0], input.shape[1], outH, outW], values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (planes, height, width) = (shape[0] * shape[1], shape[2], shape[3])
        let (outH, outW) = (height / 2, width / 2)
        // Every input position lies in exactly one window, so every element is written.
        let gradInput = [Float](unsafeUninitializedCapacity: planes * height * width) { dx, count in
            gradOutput.values.withUnsafeBufferPointer { dy in
                for plane in 0..<planes {
                    for y in 0..<outH {
                        for column in 0..<outW {
                            let share = dy[(plane * outH + y) * outW + column] / 4
                            let base = (plane * height + 2 * y) * width + 2 * column
                            dx[base] = share
                            dx[base + 1] = share
                            dx[base + width] = share
                            dx[base + width + 1] = share
                        }
                    }
                }
            }
            count = planes * height * width
        }
        return Tensor(shape: shape, values: gradInput)
    }
}
