import StrictDocuments

/// What an erasure removed (GDPR Art. 17), as the receipt and its audit entry report it.
public struct ErasureReceipt: Sendable {
    /// The subject's decisions, kept with their non-personal fields only.
    public let admissions: Int
    /// Stored copies deleted (a copy another subject's admission also holds is kept for it).
    public let images: Int
    /// Stored copies kept because another subject's admission holds the same content.
    public let sharedImagesKept: Int
    public let queueItems: Int
    public let embeddings: Int
    /// Checkpoints trained on the subject's data, now flagged (sorted).
    public let taintedCheckpoints: [String]
    /// Whether the subject's key existed (and was destroyed by this erasure).
    public let keyDestroyed: Bool
    public let audit: AuditEntry

    package init(
        admissions: Int, images: Int, sharedImagesKept: Int, queueItems: Int, embeddings: Int, taintedCheckpoints: [String],
        keyDestroyed: Bool, audit: AuditEntry
    ) {
        self.admissions = admissions
        self.images = images
        self.sharedImagesKept = sharedImagesKept
        self.queueItems = queueItems
        self.embeddings = embeddings
        self.taintedCheckpoints = taintedCheckpoints
        self.keyDestroyed = keyDestroyed
        self.audit = audit
    }

    /// The erasure's audit entry: the counts, never the subject.
    package static func record(
        admissions: Int, images: Int, sharedImagesKept: Int, queueItems: Int, embeddings: Int, taintedCheckpoints: [String],
        keyDestroyed: Bool, apiKey: String?, at: String
    ) -> AuditRecord {
        var details: [String: JSONValue] = [
            "removed": .object([
                "admissions": .integer(admissions), "images": .integer(images), "queue_items": .integer(queueItems),
                "embeddings": .integer(embeddings),
            ]),
            "shared_images_kept": .integer(sharedImagesKept),
            "key_destroyed": .bool(keyDestroyed),
            "tainted_checkpoints": .array(taintedCheckpoints.map(JSONValue.string)),
        ]
        if let apiKey { details["api_key"] = .string(apiKey) }
        return AuditRecord(kind: .erasure, at: at, details: .object(details))
    }

    /// True when there was nothing of the subject left to erase (a repeated request).
    public var nothingLeft: Bool {
        admissions == 0 && images == 0 && sharedImagesKept == 0 && queueItems == 0 && embeddings == 0 && !keyDestroyed
    }
}
