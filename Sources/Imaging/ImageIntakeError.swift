/// Why an upload was refused. `limit` names the configuration key that was exceeded.
public enum ImageIntakeError: Error, Equatable, Sendable {
    /// Not JPEG, PNG or WebP by its leading bytes.
    case unsupportedFormat
    case tooManyBytes(bytes: Int, limit: Int)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case exifTooLarge(bytes: Int, limit: Int)
    /// The codec refused the data (truncated, corrupt, zero-size, impossible dimensions).
    case undecodable(format: ImageFormat?, reason: String)

    public var message: String {
        switch self {
        case .unsupportedFormat:
            "the image is not JPEG, PNG or WebP (recognised by its leading bytes)"
        case .tooManyBytes(let bytes, let limit):
            "the image has \(bytes) bytes; the limit (limits.max_image_bytes) is \(limit)"
        case .tooManyPixels(let width, let height, let limit):
            "the image is \(width)×\(height) = \(width * height) pixels; the limit (limits.max_image_pixels) is \(limit)"
        case .exifTooLarge(let bytes, let limit):
            "the image's EXIF block has \(bytes) bytes; the limit (limits.max_exif_bytes) is \(limit)"
        case .undecodable(let format, let reason):
            "the \(format.map(\.rawValue).map { $0.uppercased() } ?? "image") data cannot be decoded: \(reason)"
        }
    }
}
