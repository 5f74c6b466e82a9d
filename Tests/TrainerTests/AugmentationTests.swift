import Testing
import Tensors
@testable import Trainer

@Suite struct AugmentationTests {
    private func image(side: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<(3 * side * side)).map { _ in random.unit() }
    }

    @Test func theSameSeedGivesTheSameViews() {
        let picture = image(side: 16, seed: 1)
        var first = SeededRandom(seed: 42), second = SeededRandom(seed: 42), other = SeededRandom(seed: 43)
        let a = Augmentations().view(of: picture, side: 16, outputSide: 16, random: &first)
        #expect(a == Augmentations().view(of: picture, side: 16, outputSide: 16, random: &second))
        #expect(a != Augmentations().view(of: picture, side: 16, outputSide: 16, random: &other))
        #expect(a.allSatisfy { (0...1).contains($0) })
    }

    @Test func eachAugmentationDoesWhatItSays() {
        let picture = image(side: 8, seed: 2)
        let augmentations = Augmentations()
        #expect(augmentations.flipped(augmentations.flipped(picture, side: 8), side: 8) == picture)
        #expect(augmentations.flipped(picture, side: 8)[7] == picture[0])  // first row, mirrored
        let grey = augmentations.grayscale(picture, side: 8)
        #expect(Array(grey[0..<64]) == Array(grey[64..<128]) && Array(grey[64..<128]) == Array(grey[128..<192]))
        // A crop of the whole image at the same size is the image itself.
        var whole = augmentations
        whole.cropScale = 1...1
        whole.cropAspect = 1...1
        var random = SeededRandom(seed: 3)
        let cropped = whole.crop(picture, side: 8, outputSide: 8, random: &random)
        #expect(zip(cropped, picture).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}
