import Foundation

/// What traingate reads from an image's EXIF block; everything else in it is dropped with the
/// original file.
public struct ExifMetadata: Sendable, Equatable {
    /// GPS position in decimal degrees (south and west negative).
    public var gps: (latitude: Double, longitude: Double)?
    /// `DateTimeOriginal`, with `OffsetTimeOriginal` when present (else read as UTC).
    public var capturedAt: Date?
    /// EXIF orientation 1...8 (1 when absent): how to turn the pixels upright.
    public var orientation: Int = 1
    /// Size of the EXIF block, in bytes (0 when there is none).
    public var byteCount: Int = 0

    public init() {}

    public static func == (lhs: ExifMetadata, rhs: ExifMetadata) -> Bool {
        lhs.gps?.latitude == rhs.gps?.latitude && lhs.gps?.longitude == rhs.gps?.longitude
            && lhs.capturedAt == rhs.capturedAt && lhs.orientation == rhs.orientation && lhs.byteCount == rhs.byteCount
    }
}
