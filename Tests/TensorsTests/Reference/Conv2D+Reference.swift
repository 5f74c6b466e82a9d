@testable import Tensors

extension Conv2D: ReferenceForward {
    /// out[n, k, y, x] = b[k] + Σ_c,i,j W[k, (c·K + i)·K + j] · in[n, c, y·s − p + i, x·s − p + j],
    /// taps in the padding reading 0.
    func referenceForward(_ input: DoubleTensor, parameters: [DoubleTensor]) -> DoubleTensor {
        let (weights, bias) = (parameters[0].values, parameters[1].values)
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let (outH, outW) = (outputSize(height), outputSize(width))
        var output = DoubleTensor(zeros: [batch, outChannels, outH, outW])
        for n in 0..<batch {
            for k in 0..<outChannels {
                for y in 0..<outH {
                    for x in 0..<outW {
                        var sum = bias[k]
                        for c in 0..<inChannels {
                            for i in 0..<kernel {
                                for j in 0..<kernel {
                                    let (sourceY, sourceX) = (y * stride - padding + i, x * stride - padding + j)
                                    guard (0..<height).contains(sourceY), (0..<width).contains(sourceX) else { continue }
                                    sum +=
                                        weights[(k * inChannels + c) * kernel * kernel + i * kernel + j]
                                        * input.values[((n * inChannels + c) * height + sourceY) * width + sourceX]
                                }
                            }
                        }
                        output.values[((n * outChannels + k) * outH + y) * outW + x] = sum
                    }
                }
            }
        }
        return output
    }
}
