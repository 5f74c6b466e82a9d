import Foundation
import GRDB
import StrictDocuments

/// A checkpoint read back: enough to rebuild its encoder and embed new images.
public struct StoredCheckpoint: Sendable {
    public let id: String
    public let jobID: String
    public let format: Int
    public let parameters: JSONValue
    public let weights: [UInt8]
    public let embeddingDimension: Int
    /// Whether it was trained on erased or objected data (model lineage): such a checkpoint is
    /// not used to embed new images until a new job has trained without that data.
    public let isTainted: Bool

    package init(
        id: String, jobID: String, format: Int, parameters: JSONValue, weights: [UInt8], embeddingDimension: Int, isTainted: Bool
    ) {
        self.id = id
        self.jobID = jobID
        self.format = format
        self.parameters = parameters
        self.weights = weights
        self.embeddingDimension = embeddingDimension
        self.isTainted = isTainted
    }
}
