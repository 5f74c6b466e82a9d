/// What an upload may cost before its pixels are decoded.
public struct ImageLimits: Sendable, Equatable {
    /// Largest image file, in bytes.
    public var maxBytes: Int
    /// Largest width × height; checked from the header, before any pixel is decoded.
    public var maxPixels: Int
    /// Largest EXIF block, in bytes.
    public var maxExifBytes: Int
    /// Longest side of the stored, minimised copy.
    public var storedLongestSide: Int
    /// Largest XMP packet read for rights reservations; a larger one is skipped with a note.
    public var maxXMPBytes: Int = 256 * 1024
    /// Deepest element nesting read in an XMP packet (real packets nest about 6 deep).
    public var maxXMPDepth: Int = 64
    /// Largest C2PA manifest store read; a larger one is skipped with a note.
    public var maxC2PABytes: Int = 1024 * 1024

    public init(maxBytes: Int = 20 * 1024 * 1024, maxPixels: Int = 40_000_000, maxExifBytes: Int = 64 * 1024, storedLongestSide: Int = 256) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.maxExifBytes = maxExifBytes
        self.storedLongestSide = storedLongestSide
    }
}
