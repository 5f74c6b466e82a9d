import Testing
import Tensors
@testable import Trainer

@Suite struct CheckpointWeightsTests {
    @Test func weightsRoundTripIntoAFreshModelAndEmbedAlike() throws {
        var random = SeededRandom(seed: 11)
        let trained = EncoderModel(embeddingDimension: 16, random: &random)
        let bytes = CheckpointWeights.encode(trained)
        #expect(Array(bytes.prefix(8)) == Array("TGWEIGHT".utf8))

        var other = SeededRandom(seed: 99)
        let loaded = EncoderModel(embeddingDimension: 16, random: &other)
        let images = Tensor(shape: [2, 3, 16, 16], values: (0..<(2 * 3 * 16 * 16)).map { _ in random.unit() })
        #expect(loaded.embed(images) != trained.embed(images))
        try CheckpointWeights.load(bytes, into: loaded)
        #expect(loaded.embed(images) == trained.embed(images))
    }

    @Test func weightsOfAnotherShapeOrFormatAreRefused() throws {
        var random = SeededRandom(seed: 1)
        let bytes = CheckpointWeights.encode(EncoderModel(embeddingDimension: 16, random: &random))
        let wider = EncoderModel(embeddingDimension: 32, random: &random)
        #expect { try CheckpointWeights.load(bytes, into: wider) } throws: { "\($0)".contains("shape") }
        let narrow = EncoderModel(embeddingDimension: 16, random: &random)
        #expect { try CheckpointWeights.load(Array(bytes.dropLast(4)), into: narrow) } throws: { "\($0)".contains("end early") }
        var future = bytes
        future[8] = 2
        #expect { try CheckpointWeights.load(future, into: narrow) } throws: { "\($0)".contains("format 2") }
        #expect { try CheckpointWeights.load(bytes + [0], into: narrow) } throws: { "\($0)".contains("trailing") }
    }
}
