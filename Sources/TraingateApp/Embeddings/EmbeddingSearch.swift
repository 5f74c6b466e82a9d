import Foundation
import Imaging
import NIOPosix
import Tensors
import Trainer
import TraingateStore

/// Nearest neighbours among the newest checkpoint's embeddings: cosine similarity (the vectors
/// are unit length, so a dot product) of the query against the whole matrix in one `sgemm`,
/// then the top k. BLAS runs on NIO's blocking pool, never on an event loop or the cooperative pool.
struct EmbeddingSearch: Sendable {
    let store: any EmbeddingReading
    let imageLimits: ImageLimits
    /// Decoding the query image reserves what it takes from here.
    let budget: MemoryBudget

    struct Neighbor: Sendable, Equatable {
        let admissionID: String
        let score: Float
    }

    enum Query: Sendable {
        case admission(String)
        case image([UInt8])
    }

    enum Failure: Error {
        case noCheckpoint
        case notEmbedded(String)
        /// The newest checkpoint was trained on erased or objected data.
        case checkpointTainted(String)
    }

    /// - Returns: the checkpoint searched and up to `k` neighbours, best first (a searched
    ///   admission is not its own neighbour).
    func search(_ query: Query, k: Int) async throws -> (checkpointID: String, neighbors: [Neighbor]) {
        guard let checkpoint = try await store.newestCheckpoint() else { throw Failure.noCheckpoint }
        let matrix = try await store.matrix(of: checkpoint.id, dimension: checkpoint.embeddingDimension)
        let vector: [Float]
        var excluded: String?
        switch query {
        case .admission(let id):
            guard let row = matrix.admissionIDs.firstIndex(of: id) else { throw Failure.notEmbedded(id) }
            let dimension = checkpoint.embeddingDimension
            vector = Array(matrix.values[(row * dimension)..<((row + 1) * dimension)])
            excluded = id
        case .image(let bytes):
            // A new embedding would be the model's use of the erased or objected data.
            guard !checkpoint.isTainted else { throw Failure.checkpointTainted(checkpoint.id) }
            vector = try await embed(bytes, with: checkpoint)
        }
        // sgemm reads `dimension` floats of the query: a checkpoint whose parameters disagree
        // with its own column is refused, not read past.
        guard vector.count == checkpoint.embeddingDimension else {
            throw CheckpointWeights.FormatError(
                description: "checkpoint \(checkpoint.id) embeds \(vector.count) dimensions, not \(checkpoint.embeddingDimension)")
        }
        let neighbors = try await NIOThreadPool.singleton.runIfActive { [excluded] in
            Self.nearest(to: vector, in: matrix, dimension: checkpoint.embeddingDimension, k: k, excluding: excluded)
        }
        return (checkpoint.id, neighbors)
    }

    /// The uploaded image through the same intake as an admission (decode, limits, upright,
    /// minimised copy), then the checkpoint's encoder.
    private func embed(_ bytes: [UInt8], with checkpoint: StoredCheckpoint) async throws -> [Float] {
        let (parameters, problems) = TrainingParametersParser.parse(checkpoint.parameters)
        guard problems.isEmpty else {
            throw CheckpointWeights.FormatError(description: "checkpoint \(checkpoint.id) has unreadable parameters")
        }
        return try await budget.withDecoding(of: bytes, limits: imageLimits) { header in
            try await NIOThreadPool.singleton.runIfActive { [imageLimits] in
                let intake = try ImageIntake.process(bytes, header: header, limits: imageLimits)
                let planes = try PixelPlanes.fromJPEG(intake.stored, side: parameters.imageSide)
                var random = SeededRandom(seed: 0)
                let model = EncoderModel(embeddingDimension: parameters.embeddingDimension, random: &random)
                try CheckpointWeights.load(checkpoint.weights, into: model)
                return model.embed(Tensor(shape: [1, 3, parameters.imageSide, parameters.imageSide], values: planes)).values
            }
        }
    }

    static func nearest(
        to query: [Float], in matrix: (admissionIDs: [String], values: [Float]), dimension: Int, k: Int, excluding: String?
    ) -> [Neighbor] {
        let count = matrix.admissionIDs.count
        guard count > 0 else { return [] }
        let scores = BLAS.matmul(matrix.values, query, m: count, n: 1, k: dimension)
        // Best first; ties by id, so equal scores come back in a stable order.
        var ranked = (0..<count).filter { matrix.admissionIDs[$0] != excluding }
        ranked.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : matrix.admissionIDs[$0] < matrix.admissionIDs[$1] }
        return ranked.prefix(k).map { Neighbor(admissionID: matrix.admissionIDs[$0], score: scores[$0]) }
    }
}
