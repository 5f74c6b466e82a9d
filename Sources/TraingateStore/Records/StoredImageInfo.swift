/// What is known about a stored image without reading its bytes.
public struct StoredImageInfo: Hashable, Sendable {
    /// SHA-256 of the original upload (hex).
    public let sha256: String
    public let contentType: String
    /// Size of the stored (minimised) copy.
    public let byteCount: Int
    /// Size of the stored copy in pixels (nil for images stored before intake existed).
    public let width: Int?
    public let height: Int?
    public let perceptualHash: UInt64?

    public init(sha256: String, contentType: String, byteCount: Int, width: Int?, height: Int?, perceptualHash: UInt64?) {
        self.sha256 = sha256
        self.contentType = contentType
        self.byteCount = byteCount
        self.width = width
        self.height = height
        self.perceptualHash = perceptualHash
    }
}
