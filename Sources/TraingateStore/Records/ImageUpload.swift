/// An image to store with its admission (as given, until the intake pipeline minimises it).
public struct ImageUpload: Sendable {
    public let sha256: String
    public let contentType: String
    public let bytes: [UInt8]

    public init(sha256: String, contentType: String, bytes: [UInt8]) {
        self.sha256 = sha256
        self.contentType = contentType
        self.bytes = bytes
    }
}
