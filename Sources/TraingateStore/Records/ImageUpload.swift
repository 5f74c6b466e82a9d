/// The image kept with an admission: the minimised copy made by intake (never the original),
/// named by the SHA-256 of the original upload.
public struct ImageUpload: Sendable {
    /// SHA-256 of the original bytes (hex).
    public let sha256: String
    /// Media type of `bytes`.
    public let contentType: String
    public let bytes: [UInt8]
    public let width: Int?
    public let height: Int?
    /// 64-bit perceptual hash of the pixels, for near-duplicate lookups.
    public let perceptualHash: UInt64?

    public init(sha256: String, contentType: String, bytes: [UInt8], width: Int? = nil, height: Int? = nil, perceptualHash: UInt64? = nil) {
        self.sha256 = sha256
        self.contentType = contentType
        self.bytes = bytes
        self.width = width
        self.height = height
        self.perceptualHash = perceptualHash
    }

    /// What responses say about it.
    public var info: StoredImageInfo {
        StoredImageInfo(
            sha256: sha256, contentType: contentType, byteCount: bytes.count, width: width, height: height,
            perceptualHash: perceptualHash)
    }
}
