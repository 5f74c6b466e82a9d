import Foundation
import Tensors

/// SimCLR's augmentations (Chen et al., 2020), from a seeded generator so that the same seed
/// gives the same views: random resized crop, horizontal flip, colour jitter, grayscale.
/// Images are [3, size, size] planes of values in [0, 1].
public struct Augmentations: Sendable, Equatable {
    public var cropScale: ClosedRange<Float> = 0.3...1
    public var cropAspect: ClosedRange<Float> = 0.75...(4 / 3)
    public var flipProbability: Float = 0.5
    public var jitterProbability: Float = 0.8
    public var jitterStrength: Float = 0.4
    public var grayscaleProbability: Float = 0.2

    public init() {}

    /// No augmentation: the whole image, resampled to the output side (for evaluation inputs).
    public static var none: Augmentations {
        var whole = Augmentations()
        whole.cropScale = 1...1
        whole.cropAspect = 1...1
        whole.flipProbability = 0
        whole.jitterProbability = 0
        whole.grayscaleProbability = 0
        return whole
    }

    /// One augmented view of `image` ([3, side, side] values), at `outputSide`.
    public func view(of image: [Float], side: Int, outputSide: Int, random: inout SeededRandom) -> [Float] {
        var view = crop(image, side: side, outputSide: outputSide, random: &random)
        if random.unit() < flipProbability { view = flipped(view, side: outputSide) }
        if random.unit() < jitterProbability { view = jittered(view, side: outputSide, random: &random) }
        if random.unit() < grayscaleProbability { view = grayscale(view, side: outputSide) }
        return view
    }

    /// A random area (scale × the image, aspect in range) resampled bilinearly to the output.
    func crop(_ image: [Float], side: Int, outputSide: Int, random: inout SeededRandom) -> [Float] {
        let area = Float(side * side) * (cropScale.lowerBound + random.unit() * (cropScale.upperBound - cropScale.lowerBound))
        let logAspect = log(cropAspect.lowerBound) + random.unit() * (log(cropAspect.upperBound) - log(cropAspect.lowerBound))
        let aspect = exp(logAspect)
        let width = min(Float(side), (area * aspect).squareRoot())
        let height = min(Float(side), (area / aspect).squareRoot())
        let left = random.unit() * (Float(side) - width)
        let top = random.unit() * (Float(side) - height)
        var output = [Float](repeating: 0, count: 3 * outputSide * outputSide)
        for y in 0..<outputSide {
            let sourceY = top + (Float(y) + 0.5) * height / Float(outputSide) - 0.5
            for x in 0..<outputSide {
                let sourceX = left + (Float(x) + 0.5) * width / Float(outputSide) - 0.5
                for channel in 0..<3 {
                    output[(channel * outputSide + y) * outputSide + x] = bilinear(image, channel: channel, side: side, x: sourceX, y: sourceY)
                }
            }
        }
        return output
    }

    private func bilinear(_ image: [Float], channel: Int, side: Int, x: Float, y: Float) -> Float {
        let x0 = max(0, min(side - 1, Int(x.rounded(.down))))
        let y0 = max(0, min(side - 1, Int(y.rounded(.down))))
        let (x1, y1) = (min(side - 1, x0 + 1), min(side - 1, y0 + 1))
        let (fx, fy) = (max(0, min(1, x - Float(x0))), max(0, min(1, y - Float(y0))))
        func at(_ px: Int, _ py: Int) -> Float { image[(channel * side + py) * side + px] }
        return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
    }

    func flipped(_ image: [Float], side: Int) -> [Float] {
        var output = image
        for channel in 0..<3 {
            for y in 0..<side {
                for x in 0..<side {
                    output[(channel * side + y) * side + x] = image[(channel * side + y) * side + side - 1 - x]
                }
            }
        }
        return output
    }

    /// Brightness, contrast and saturation, each scaled by a factor in 1 ± strength.
    func jittered(_ image: [Float], side: Int, random: inout SeededRandom) -> [Float] {
        func factor() -> Float { 1 + (random.unit() * 2 - 1) * jitterStrength }
        let (brightness, contrast, saturation) = (factor(), factor(), factor())
        let plane = side * side
        let grey = self.grey(image, plane: plane)
        let mean = grey.reduce(0, +) / Float(plane)
        var output = image
        for pixel in 0..<plane {
            for channel in 0..<3 {
                var value = image[channel * plane + pixel] * brightness
                value = (value - mean * brightness) * contrast + mean * brightness
                value = grey[pixel] * brightness + (value - grey[pixel] * brightness) * saturation
                output[channel * plane + pixel] = max(0, min(1, value))
            }
        }
        return output
    }

    func grayscale(_ image: [Float], side: Int) -> [Float] {
        let grey = self.grey(image, plane: side * side)
        return grey + grey + grey
    }

    private func grey(_ image: [Float], plane: Int) -> [Float] {
        (0..<plane).map { 0.299 * image[$0] + 0.587 * image[plane + $0] + 0.114 * image[2 * plane + $0] }
    }
}
