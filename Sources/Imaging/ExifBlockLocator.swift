/// Finds the EXIF block inside a JPEG (APP1 segment), PNG (`eXIf` chunk) or WebP (`EXIF`
/// chunk) without decoding anything, so its size can be checked before libexif parses it.
/// Every length read from the file is checked against what is left of it.
enum ExifBlockLocator {
    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// The EXIF block as libexif reads it (starting with "Exif\0\0"), or nil when there is none.
    static func block(in bytes: [UInt8], format: ImageFormat) -> ArraySlice<UInt8>? {
        switch format {
        case .jpeg: jpeg(bytes)
        case .png: png(bytes)
        case .webp: webp(bytes)
        }
    }

    private static func jpeg(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        var offset = 2  // after SOI
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill bytes may pad any marker
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            if marker == 0xDA || marker == 0xD9 { return nil }  // pixels start: no EXIF before them
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return nil }
            let payload = bytes[(offset + 4)..<(offset + 2 + length)]
            if marker == 0xE1, payload.starts(with: exifHeader) { return payload }
            offset += 2 + length
        }
        return nil
    }

    private static func png(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        var offset = 8  // after the signature
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard length >= 0, offset + 12 + length <= bytes.count else { return nil }
            if type == "eXIf" { return ArraySlice(exifHeader + bytes[(offset + 8)..<(offset + 8 + length)]) }
            // The PNG extensions (1.5.0) let eXIf follow the image data; only IEND ends the search.
            if type == "IEND" { return nil }
            offset += 12 + length
        }
        return nil
    }

    private static func webp(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        var offset = 12  // after "RIFF" size "WEBP"
        while offset + 8 <= bytes.count {
            let type = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let length = bytes[(offset + 4)..<(offset + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
            guard offset + 8 + length <= bytes.count else { return nil }
            if type == "EXIF" {
                let payload = bytes[(offset + 8)..<(offset + 8 + length)]
                return payload.starts(with: exifHeader) ? payload : ArraySlice(exifHeader + payload)
            }
            offset += 8 + length + (length & 1)  // chunks are padded to an even size
        }
        return nil
    }
}
