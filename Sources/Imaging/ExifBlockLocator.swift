/// Finds the EXIF block inside a JPEG (APP1 segment), PNG (`eXIf` chunk) or WebP (`EXIF`
/// chunk) without decoding anything, so its size can be checked before libexif parses it.
enum ExifBlockLocator {
    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// The EXIF block as libexif reads it (starting with "Exif\0\0"), or nil when there is none.
    static func block(in bytes: [UInt8], format: ImageFormat) -> ArraySlice<UInt8>? {
        block(in: MetadataBlock.all(in: bytes, format: format))
    }

    static func block(in blocks: [MetadataBlock]) -> ArraySlice<UInt8>? {
        for block in blocks {
            switch block.kind {
            case "APP1" where block.payload.starts(with: exifHeader): return block.payload
            // PNG's eXIf and WebP's EXIF chunk hold the TIFF data; WebP writers sometimes keep the header.
            case "eXIf", "EXIF": return block.payload.starts(with: exifHeader) ? block.payload : ArraySlice(exifHeader + block.payload)
            default: continue
            }
        }
        return nil
    }
}
