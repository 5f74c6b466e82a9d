/// 2-D convolution over [batch, channels, height, width] by im2col and one `sgemm` per image:
/// each output position's receptive field becomes a column, and the kernel a matrix.
public final class Conv2D: Layer {
    public var parameters: [Tensor]
    public var gradients: [Tensor]
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    let padding: Int
    private var inputShape: [Int] = []
    private var columns: [[Float]] = []  // per image, [C·k·k, outH·outW]

    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, random: inout SeededRandom) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        let fanIn = inChannels * kernel * kernel
        let scale = (2 / Float(fanIn)).squareRoot()
        parameters = [
            Tensor(shape: [outChannels, fanIn], values: (0..<(outChannels * fanIn)).map { _ in random.normal() * scale }),
            Tensor(zeros: [outChannels]),
        ]
        gradients = parameters.map { Tensor(zeros: $0.shape) }
    }

    func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernel) / stride + 1 }

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inChannels, "Conv2D expects [N, \(inChannels), H, W], got \(input.shape)")
        inputShape = input.shape
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let (outH, outW) = (outputSize(height), outputSize(width))
        let patch = inChannels * kernel * kernel
        let positions = outH * outW
        var output = [Float](repeating: 0, count: batch * outChannels * positions)
        columns = (0..<batch).map { image in
            im2col(input.values, offset: image * inChannels * height * width, height: height, width: width, outH: outH, outW: outW)
        }
        parameters[0].values.withUnsafeBufferPointer { weights in
            output.withUnsafeMutableBufferPointer { output in
                for image in 0..<batch {
                    columns[image].withUnsafeBufferPointer { columns in
                        BLAS.gemm(
                            m: outChannels, n: positions, k: patch, weights.baseAddress!, columns.baseAddress!,
                            output.baseAddress! + image * outChannels * positions)
                    }
                }
            }
        }
        let bias = parameters[1].values
        for index in output.indices { output[index] += bias[(index / positions) % outChannels] }
        return Tensor(shape: [batch, outChannels, outH, outW], values: output)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (batch, height, width) = (inputShape[0], inputShape[2], inputShape[3])
        let (outH, outW) = (outputSize(height), outputSize(width))
        let patch = inChannels * kernel * kernel
        let positions = outH * outW
        var gradInput = [Float](repeating: 0, count: inputShape.reduce(1, *))
        var gradColumns = [Float](repeating: 0, count: patch * positions)
        gradOutput.values.withUnsafeBufferPointer { dy in
            for image in 0..<batch {
                let dyImage = dy.baseAddress! + image * outChannels * positions
                // dW += dY · colsᵀ
                columns[image].withUnsafeBufferPointer { columns in
                    gradients[0].values.withUnsafeMutableBufferPointer { dW in
                        BLAS.gemm(transposeB: true, m: outChannels, n: patch, k: positions, dyImage, columns.baseAddress!, beta: 1, dW.baseAddress!)
                    }
                }
                // dcols = Wᵀ · dY, then back to image positions.
                parameters[0].values.withUnsafeBufferPointer { weights in
                    gradColumns.withUnsafeMutableBufferPointer { dcols in
                        BLAS.gemm(transposeA: true, m: patch, n: positions, k: outChannels, weights.baseAddress!, dyImage, dcols.baseAddress!)
                    }
                }
                col2im(gradColumns, into: &gradInput, offset: image * inChannels * height * width, height: height, width: width, outH: outH, outW: outW)
                for channel in 0..<outChannels {
                    var sum: Float = 0
                    for position in 0..<positions { sum += dyImage[channel * positions + position] }
                    gradients[1].values[channel] += sum
                }
            }
        }
        return Tensor(shape: inputShape, values: gradInput)
    }

    /// Row r = (c, i, j) of the result holds input[c, y·s − p + i, x·s − p + j] for every
    /// output position (y, x) as its columns; positions in the padding read 0.
    private func im2col(_ input: [Float], offset: Int, height: Int, width: Int, outH: Int, outW: Int) -> [Float] {
        var columns = [Float](repeating: 0, count: inChannels * kernel * kernel * outH * outW)
        forEachTap(height: height, width: width, outH: outH, outW: outW) { column, source in
            columns[column] = input[offset + source]
        }
        return columns
    }

    private func col2im(_ columns: [Float], into image: inout [Float], offset: Int, height: Int, width: Int, outH: Int, outW: Int) {
        forEachTap(height: height, width: width, outH: outH, outW: outW) { column, source in
            image[offset + source] += columns[column]
        }
    }

    /// Calls `body(indexInColumns, indexInImage)` for every tap that falls inside the image.
    private func forEachTap(height: Int, width: Int, outH: Int, outW: Int, _ body: (Int, Int) -> Void) {
        for channel in 0..<inChannels {
            for i in 0..<kernel {
                for j in 0..<kernel {
                    let row = (channel * kernel + i) * kernel + j
                    for y in 0..<outH {
                        let sourceY = y * stride - padding + i
                        guard sourceY >= 0 && sourceY < height else { continue }
                        for x in 0..<outW {
                            let sourceX = x * stride - padding + j
                            guard sourceX >= 0 && sourceX < width else { continue }
                            body(row * outH * outW + y * outW + x, (channel * height + sourceY) * width + sourceX)
                        }
                    }
                }
            }
        }
    }
}
