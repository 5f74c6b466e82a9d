/// 2-D convolution over [batch, channels, height, width] by im2col and `sgemm` over chunks of images:
/// each output position's receptive field becomes a column, and the kernel a matrix.
public final class Conv2D: Layer {
    public var parameters: [Tensor]
    public var gradients: [Tensor]
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    let padding: Int
    /// False for a network's first layer: nothing upstream needs the gradient with respect to
    /// the images, so backward skips that product (as autograd does for inputs without
    /// `requires_grad`) and returns zeros.
    let computesInputGradient: Bool
    private var inputShape: [Int] = []
    private var columns: [[Float]] = []  // per chunk of images, [C·k·k, images·outH·outW]

    public init(
        inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, computesInputGradient: Bool = true,
        random: inout SeededRandom
    ) {
        self.computesInputGradient = computesInputGradient
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

    // Images are multiplied in chunks of about `chunkColumns` output positions: the columns of
    // a chunk's images side by side ([C·k·k, images·outH·outW]). One product per image was too
    // small for sgemm in the last convolution (64 × 64 × 288); one per batch no longer fit the
    // caches. Measured in bench/trainer.
    static let chunkColumns = 4096

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inChannels, "Conv2D expects [N, \(inChannels), H, W], got \(input.shape)")
        inputShape = input.shape
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let (outH, outW) = (outputSize(height), outputSize(width))
        let patch = inChannels * kernel * kernel
        let positions = outH * outW
        // Every element is written by the chunks below.
        var output = [Float](unsafeUninitializedCapacity: batch * outChannels * positions) { _, count in count = batch * outChannels * positions }
        columns = chunks(batch: batch, positions: positions).map { chunk in
            im2col(input.values, images: chunk, height: height, width: width, outH: outH, outW: outW)
        }
        for (chunk, columns) in zip(chunks(batch: batch, positions: positions), columns) {
            let total = chunk.count * positions
            // sgemm with β = 0 writes every element.
            var product = [Float](unsafeUninitializedCapacity: outChannels * total) { _, count in count = outChannels * total }
            parameters[0].values.withUnsafeBufferPointer { weights in
                columns.withUnsafeBufferPointer { columns in
                    product.withUnsafeMutableBufferPointer { product in
                        BLAS.gemm(m: outChannels, n: total, k: patch, weights.baseAddress!, columns.baseAddress!, product.baseAddress!)
                    }
                }
            }
            // [C_out, images·P] → [N, C_out, P], adding the bias on the way.
            product.withUnsafeBufferPointer { product in
                parameters[1].values.withUnsafeBufferPointer { bias in
                    output.withUnsafeMutableBufferPointer { output in
                        for (offset, image) in chunk.enumerated() {
                            for channel in 0..<outChannels {
                                let from = product.baseAddress! + channel * total + offset * positions
                                let to = output.baseAddress! + (image * outChannels + channel) * positions
                                let value = bias[channel]
                                for position in 0..<positions { to[position] = from[position] + value }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, outChannels, outH, outW], values: output)
    }

    private func chunks(batch: Int, positions: Int) -> [Range<Int>] {
        let size = max(1, Self.chunkColumns / positions)
        return Swift.stride(from: 0, to: batch, by: size).map { $0..<min($0 + size, batch) }
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (batch, height, width) = (inputShape[0], inputShape[2], inputShape[3])
        let (outH, outW) = (outputSize(height), outputSize(width))
        let patch = inChannels * kernel * kernel
        let positions = outH * outW
        var gradInput = [Float](repeating: 0, count: inputShape.reduce(1, *))
        for (chunk, columns) in zip(chunks(batch: batch, positions: positions), columns) {
            let total = chunk.count * positions
            // dY as [C_out, images·P], the layout of the forward product; the bias gradient on the way.
            var dy = [Float](unsafeUninitializedCapacity: outChannels * total) { _, count in count = outChannels * total }
            gradOutput.values.withUnsafeBufferPointer { gradOutput in
                dy.withUnsafeMutableBufferPointer { dy in
                    gradients[1].values.withUnsafeMutableBufferPointer { dBias in
                        for (offset, image) in chunk.enumerated() {
                            for channel in 0..<outChannels {
                                let from = gradOutput.baseAddress! + (image * outChannels + channel) * positions
                                let to = dy.baseAddress! + channel * total + offset * positions
                                to.update(from: from, count: positions)
                                dBias[channel] += VectorSums.sum(from, positions)
                            }
                        }
                    }
                }
            }
            var gradColumns = [Float](unsafeUninitializedCapacity: computesInputGradient ? patch * total : 0) { _, count in
                count = computesInputGradient ? patch * total : 0
            }
            dy.withUnsafeBufferPointer { dy in
                // dW += dY · colsᵀ
                columns.withUnsafeBufferPointer { columns in
                    gradients[0].values.withUnsafeMutableBufferPointer { dW in
                        BLAS.gemm(
                            transposeB: true, m: outChannels, n: patch, k: total, dy.baseAddress!, columns.baseAddress!, beta: 1, dW.baseAddress!)
                    }
                }
                guard computesInputGradient else { return }
                // dcols = Wᵀ · dY, then back to image positions.
                parameters[0].values.withUnsafeBufferPointer { weights in
                    gradColumns.withUnsafeMutableBufferPointer { dcols in
                        BLAS.gemm(transposeA: true, m: patch, n: total, k: outChannels, weights.baseAddress!, dy.baseAddress!, dcols.baseAddress!)
                    }
                }
            }
            if computesInputGradient {
                col2im(gradColumns, into: &gradInput, images: chunk, height: height, width: width, outH: outH, outW: outW)
            }
        }
        return Tensor(shape: inputShape, values: gradInput)
    }

    /// Row r = (c, i, j) of the result holds input[n, c, y·s − p + i, x·s − p + j] at column
    /// n·outH·outW + y·outW + x; positions in the padding read 0.
    private func im2col(_ input: [Float], images: Range<Int>, height: Int, width: Int, outH: Int, outW: Int) -> [Float] {
        let total = images.count * outH * outW
        var columns = [Float](repeating: 0, count: inChannels * kernel * kernel * total)
        input.withUnsafeBufferPointer { input in
            columns.withUnsafeMutableBufferPointer { columns in
                for (offset, image) in images.enumerated() {
                    let (source, target) = (input.baseAddress! + image * inChannels * height * width, columns.baseAddress! + offset * outH * outW)
                    forEachRun(height: height, width: width, outH: outH, outW: outW, rowLength: total) { column, pixel, count in
                        if stride == 1 {
                            (target + column).update(from: source + pixel, count: count)
                        } else {
                            for x in 0..<count { target[column + x] = source[pixel + x * stride] }
                        }
                    }
                }
            }
        }
        return columns
    }

    private func col2im(_ columns: [Float], into image: inout [Float], images: Range<Int>, height: Int, width: Int, outH: Int, outW: Int) {
        let total = images.count * outH * outW
        columns.withUnsafeBufferPointer { columns in
            image.withUnsafeMutableBufferPointer { image in
                for (offset, index) in images.enumerated() {
                    let (source, target) = (columns.baseAddress! + offset * outH * outW, image.baseAddress! + index * inChannels * height * width)
                    forEachRun(height: height, width: width, outH: outH, outW: outW, rowLength: total) { column, pixel, count in
                        if stride == 1 {
                            let (to, from) = (target + pixel, source + column)
                            for x in 0..<count { to[x] += from[x] }
                        } else {
                            for x in 0..<count { target[pixel + x * stride] += source[column + x] }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(indexInColumns, indexInImage, count)` for every run of taps along an output
    /// row that falls inside one image: `count` consecutive columns (rows of the column matrix
    /// are `rowLength` apart), reading the image every `stride` elements from `indexInImage`.
    /// Work is per run, not per element.
    private func forEachRun(height: Int, width: Int, outH: Int, outW: Int, rowLength: Int, _ body: (Int, Int, Int) -> Void) {
        for channel in 0..<inChannels {
            for i in 0..<kernel {
                for j in 0..<kernel {
                    let row = (channel * kernel + i) * kernel + j
                    // Output columns x whose source x·s − p + j lies in 0..<width.
                    let firstX = max(0, (padding - j + stride - 1) / stride)
                    let lastX = min(outW - 1, (width - 1 + padding - j) / stride)
                    guard firstX <= lastX else { continue }
                    for y in 0..<outH {
                        let sourceY = y * stride - padding + i
                        guard sourceY >= 0 && sourceY < height else { continue }
                        let sourceX = firstX * stride - padding + j
                        body(row * rowLength + y * outW + firstX, (channel * height + sourceY) * width + sourceX, lastX - firstX + 1)
                    }
                }
            }
        }
    }
}
