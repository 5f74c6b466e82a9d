import StrictDocuments

/// What a successful job leaves behind, written in one transaction with the job's end.
public struct TrainedCheckpoint: Sendable {
    /// One admission that trained the checkpoint, and for how many epochs.
    public struct Lineage: Sendable, Equatable {
        public let admissionID: String
        public let imageSHA256: String
        public let policyVersion: String
        public let epochs: Int

        public init(admissionID: String, imageSHA256: String, policyVersion: String, epochs: Int) {
            self.admissionID = admissionID
            self.imageSHA256 = imageSHA256
            self.policyVersion = policyVersion
            self.epochs = epochs
        }
    }

    public let id: String
    /// Format of `weights` (`CheckpointWeights.format` in the trainer).
    public let format: Int
    public let parameters: JSONValue
    public let weights: [UInt8]
    public let embeddingDimension: Int
    public let lineage: [Lineage]
    /// Unit-length embeddings by admission, each `embeddingDimension` long.
    public let embeddings: [(admissionID: String, vector: [Float])]

    public init(
        id: String, format: Int, parameters: JSONValue, weights: [UInt8], embeddingDimension: Int, lineage: [Lineage],
        embeddings: [(admissionID: String, vector: [Float])]
    ) {
        self.id = id
        self.format = format
        self.parameters = parameters
        self.weights = weights
        self.embeddingDimension = embeddingDimension
        self.lineage = lineage
        self.embeddings = embeddings
    }
}
