import Crypto
import Foundation
import StrictDocuments

/// What intake keeps of an upload: facts about it, and a minimised copy. The original bytes
/// are hashed and then let go; they are never written anywhere.
public struct IntakeResult: Sendable {
    public let format: ImageFormat
    /// Size of the original, as its header says.
    public let width: Int
    public let height: Int
    /// SHA-256 of the original bytes (hex): the content's identity for idempotency and erasure.
    public let sha256: String
    public let perceptualHash: PerceptualHash
    public let exif: ExifMetadata
    /// Reservations against AI training the file carries (XMP `plus:DataMining`, C2PA), and
    /// notes on metadata that could not be read.
    public let rights: EmbeddedRights
    /// The stored copy: upright, at most `storedLongestSide` on its longest side, JPEG with no
    /// metadata of any kind (Art. 5(1)(c)).
    public let stored: [UInt8]
    public let storedWidth: Int
    public let storedHeight: Int
}

/// The image pipeline: recognise, check limits from the header, read EXIF, decode, turn
/// upright, downscale, re-encode, hash. CPU-bound: callers run it off the event loops.
public enum ImageIntake {
    /// - Parameter header: the image's header when the caller has read it already (to reserve
    ///   the memory decoding takes); read here otherwise.
    public static func process(_ bytes: [UInt8], header: ImageHeader? = nil, limits: ImageLimits = ImageLimits()) throws -> IntakeResult {
        guard bytes.count <= limits.maxBytes else { throw ImageIntakeError.tooManyBytes(bytes: bytes.count, limit: limits.maxBytes) }
        // Dimensions from the header; a decompression bomb stops here, before any pixel.
        let header = try header ?? ImageHeader(bytes)
        let (format, width, height) = (header.format, header.width, header.height)
        try header.checkPixels(limits)

        let blocks = MetadataBlock.all(in: bytes, format: format)
        var exif = ExifMetadata()
        if let block = ExifBlockLocator.block(in: blocks) {
            guard block.count <= limits.maxExifBytes else {
                throw ImageIntakeError.exifTooLarge(bytes: block.count, limit: limits.maxExifBytes)
            }
            exif = ExifReader.read(block)
        }
        let rights = EmbeddedRightsReader.read(blocks, format: format, limits: limits)

        let decoded: RGBImage =
            switch format {
            case .jpeg: try JPEGCodec.decode(bytes, header: header.jpeg!, minimumLongestSide: limits.storedLongestSide)
            case .png: try PNGDecoder.decode(bytes)
            case .webp: try WebPDecoder.decode(bytes, width: width, height: height)
            }
        let minimised = Downscaler.fit(Orientation.upright(decoded, orientation: exif.orientation), longestSide: limits.storedLongestSide)
        return IntakeResult(
            format: format, width: width, height: height, sha256: Hex.encode(SHA256.hash(data: bytes)),
            perceptualHash: PerceptualHash.of(minimised), exif: exif, rights: rights, stored: try JPEGCodec.encode(minimised),
            storedWidth: minimised.width, storedHeight: minimised.height)
    }
}
