import Testing
@testable import Tensors

/// Every layer's backward pass against finite differences.
@Suite struct LayerGradientTests {
    private func expectGradients(_ layer: some Layer, input: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = GradientCheck.check(layer, input: input)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(3))", sourceLocation: sourceLocation)
        #expect(result.worst < 0.02, sourceLocation: sourceLocation)
    }

    @Test func linear() {
        var random = SeededRandom(seed: 1)
        expectGradients(Linear(inputs: 7, outputs: 5, random: &random), input: GradientCheck.randomTensor([4, 7], seed: 2))
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 1)])
    func convolution(stride: Int, padding: Int) {
        var random = SeededRandom(seed: 3)
        let layer = Conv2D(inChannels: 3, outChannels: 4, kernel: 3, stride: stride, padding: padding, random: &random)
        expectGradients(layer, input: GradientCheck.randomTensor([2, 3, 7, 6], seed: 4))
    }

    /// Images large enough that the batch is multiplied in several chunks (Conv2D.chunkColumns).
    @Test func convolutionOverSeveralChunksOfImages() {
        var random = SeededRandom(seed: 14)
        let layer = Conv2D(inChannels: 2, outChannels: 3, kernel: 3, padding: 1, random: &random)
        let input = GradientCheck.randomTensor([3, 2, 48, 48], seed: 15)
        #expect(3 * 48 * 48 > Conv2D.chunkColumns)
        expectGradients(layer, input: input)
    }

    /// A first layer skips the input gradient but its parameter gradients are unchanged.
    @Test func aFirstConvolutionSkipsOnlyTheInputGradient() {
        var first = SeededRandom(seed: 18), second = SeededRandom(seed: 18)
        let full = Conv2D(inChannels: 3, outChannels: 4, kernel: 3, padding: 1, random: &first)
        let skipping = Conv2D(inChannels: 3, outChannels: 4, kernel: 3, padding: 1, computesInputGradient: false, random: &second)
        let input = GradientCheck.randomTensor([2, 3, 6, 6], seed: 19)
        let gradOutput = GradientCheck.randomTensor([2, 4, 6, 6], seed: 20)
        _ = full.forward(input)
        _ = skipping.forward(input)
        full.zeroGradients()
        skipping.zeroGradients()
        #expect(full.backward(gradOutput).values.contains { $0 != 0 })
        #expect(skipping.backward(gradOutput).values.allSatisfy { $0 == 0 })
        #expect(full.gradients == skipping.gradients)
    }

    @Test func relu() {
        // Inputs kept away from the kink at 0, where the derivative jumps.
        var input = GradientCheck.randomTensor([3, 10], seed: 5)
        input.values = input.values.map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
        expectGradients(ReLU(), input: input)
    }

    @Test func groupNorm() {
        let layer = GroupNorm(groups: 2, channels: 4)
        var random = SeededRandom(seed: 6)
        layer.parameters[0].values = layer.parameters[0].values.map { _ in 1 + random.normal() * 0.3 }
        layer.parameters[1].values = layer.parameters[1].values.map { _ in random.normal() * 0.3 }
        expectGradients(layer, input: GradientCheck.randomTensor([2, 4, 3, 3], seed: 7))
    }

    @Test func pooling() {
        expectGradients(AveragePool2(), input: GradientCheck.randomTensor([2, 3, 4, 6], seed: 8))
        expectGradients(GlobalAveragePool(), input: GradientCheck.randomTensor([2, 3, 4, 5], seed: 9))
    }

    @Test func batchCentring() {
        expectGradients(BatchCentering(), input: GradientCheck.randomTensor([5, 6], seed: 16))
        // Every feature's mean over the batch is zero afterwards.
        let centred = BatchCentering().forward(GradientCheck.randomTensor([4, 3], seed: 17))
        for column in 0..<3 { #expect(abs((0..<4).reduce(Float(0)) { $0 + centred.values[$1 * 3 + column] }) < 1e-5) }
    }

    @Test func l2Normalisation() {
        expectGradients(L2Normalize(), input: GradientCheck.randomTensor([3, 8], seed: 10))
    }

    /// A broken backward pass must fail the check: the check itself can fail.
    @Test func theCheckCatchesAWrongGradient() {
        final class Doubling: Layer {
            var parameters: [Tensor] = []
            var gradients: [Tensor] = []
            func forward(_ input: Tensor) -> Tensor { Tensor(shape: input.shape, values: input.values.map { 2 * $0 }) }
            func backward(_ gradOutput: Tensor) -> Tensor { gradOutput }  // forgets the factor 2
        }
        #expect(!GradientCheck.check(Doubling(), input: GradientCheck.randomTensor([2, 3], seed: 11)).mismatches.isEmpty)
    }
}

/// The convolution's forward pass against a direct sum in Double.
@Suite struct ConvolutionReferenceTests {
    @Test func im2colAndSgemmMatchADirectConvolution() {
        var random = SeededRandom(seed: 12)
        let layer = Conv2D(inChannels: 2, outChannels: 3, kernel: 3, stride: 2, padding: 1, random: &random)
        layer.parameters[1].values = [0.5, -0.25, 1]
        let input = GradientCheck.randomTensor([2, 2, 5, 6], seed: 13)
        let output = layer.forward(input)
        #expect(output.shape == [2, 3, 3, 3])
        let weights = layer.parameters[0].values
        var worst: Double = 0
        for n in 0..<2 {
            for k in 0..<3 {
                for y in 0..<3 {
                    for x in 0..<3 {
                        var sum = Double(layer.parameters[1].values[k])
                        for c in 0..<2 {
                            for i in 0..<3 {
                                for j in 0..<3 {
                                    let (sy, sx) = (y * 2 - 1 + i, x * 2 - 1 + j)
                                    guard sy >= 0, sy < 5, sx >= 0, sx < 6 else { continue }
                                    let weight = Double(weights[k * 18 + c * 9 + i * 3 + j])
                                    let pixel = Double(input.values[((n * 2 + c) * 5 + sy) * 6 + sx])
                                    sum += weight * pixel
                                }
                            }
                        }
                        worst = max(worst, abs(sum - Double(output.values[((n * 3 + k) * 3 + y) * 3 + x])))
                    }
                }
            }
        }
        #expect(worst < 1e-5)
    }

    @Test func sgemmMatchesANaiveProduct() {
        let (m, n, k) = (5, 4, 3)
        let a = GradientCheck.randomTensor([m, k], seed: 14).values
        let b = GradientCheck.randomTensor([k, n], seed: 15).values
        let c = BLAS.matmul(a, b, m: m, n: n, k: k)
        for row in 0..<m {
            for column in 0..<n {
                let expected = (0..<k).reduce(0.0) { $0 + Double(a[row * k + $1]) * Double(b[$1 * n + column]) }
                #expect(abs(Double(c[row * n + column]) - expected) < 1e-5)
            }
        }
    }
}

@Suite struct BLASConfigurationTests {
    /// The trainer caps OpenBLAS's threads so that training leaves cores to the server.
    @Test func theThreadCountCanBeSet() {
        let before = BLAS.threads
        defer { BLAS.threads = before }
        BLAS.threads = 1
        #expect(BLAS.threads == 1)
        BLAS.threads = 0  // clamped: at least one thread
        #expect(BLAS.threads == 1)
    }
}
