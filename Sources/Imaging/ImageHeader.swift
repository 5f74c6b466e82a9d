/// What an image's header says, read before any pixel is decoded: enough to refuse a
/// decompression bomb, and to know how much memory decoding will take.
public struct ImageHeader: Sendable {
    public let format: ImageFormat
    public let width: Int
    public let height: Int
    /// The JPEG header, kept so that decoding need not read it again.
    let jpeg: JPEGCodec.Header?

    /// Memory decoding takes per pixel, at most: the decoded RGB (3 bytes), the upright copy
    /// (3) and the decoders' own rows and tables. Measured: a 40 MP PNG peaks at about 270 MB.
    public static let decodingBytesPerPixel = 7

    /// An upper bound on the memory decoding this image takes.
    public var decodingBytes: Int { width * height * Self.decodingBytesPerPixel }

    /// Refuses an image of more pixels than `limits` allow: a decompression bomb stops here,
    /// before any pixel (and before its memory is reserved).
    public func checkPixels(_ limits: ImageLimits) throws {
        guard width * height <= limits.maxPixels else {
            throw ImageIntakeError.tooManyPixels(width: width, height: height, limit: limits.maxPixels)
        }
    }

    /// Reads the format and the dimensions; throws `ImageIntakeError` for an unknown format
    /// or an unreadable header.
    public init(_ bytes: [UInt8]) throws {
        guard let format = ImageFormat.detect(bytes) else { throw ImageIntakeError.unsupportedFormat }
        self.format = format
        switch format {
        case .jpeg:
            let header = try JPEGCodec.header(bytes)
            (jpeg, width, height) = (header, header.width, header.height)
        case .png:
            (width, height) = try PNGDecoder.header(bytes)
            jpeg = nil
        case .webp:
            (width, height) = try WebPDecoder.header(bytes)
            jpeg = nil
        }
    }
}
