/// One block of a container that can carry metadata: a JPEG marker segment before the scan
/// (`APP1`, `APP11`, …), a PNG chunk, or a WebP (RIFF) chunk, with its payload.
struct MetadataBlock {
    /// `APPn` for JPEG segments (`APP1`, `APP11`), the four-character type for PNG and WebP chunks.
    let kind: String
    let payload: ArraySlice<UInt8>

    /// Every block of the file, in order, without decoding anything. Every length read from the
    /// file is checked against what is left of it; a block that would run past the end ends
    /// the walk (what came before it is still returned).
    static func all(in bytes: [UInt8], format: ImageFormat) -> [MetadataBlock] {
        switch format {
        case .jpeg: jpeg(bytes)
        case .png: png(bytes)
        case .webp: webp(bytes)
        }
    }

    private static func jpeg(_ bytes: [UInt8]) -> [MetadataBlock] {
        var blocks: [MetadataBlock] = []
        var offset = 2  // after SOI
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill bytes may pad any marker
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            if marker == 0xDA || marker == 0xD9 { break }  // pixels start: metadata comes before them
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { break }
            let kind = (0xE0...0xEF).contains(marker) ? "APP\(marker - 0xE0)" : "marker \(marker)"
            blocks.append(MetadataBlock(kind: kind, payload: bytes[(offset + 4)..<(offset + 2 + length)]))
            offset += 2 + length
        }
        return blocks
    }

    private static func png(_ bytes: [UInt8]) -> [MetadataBlock] {
        var blocks: [MetadataBlock] = []
        var offset = 8  // after the signature
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { break }
            // The PNG extensions (1.5.0) let metadata follow the image data; only IEND ends it.
            if type == "IEND" { break }
            if type != "IDAT" { blocks.append(MetadataBlock(kind: type, payload: bytes[(offset + 8)..<(offset + 8 + length)])) }
            offset += 12 + length
        }
        return blocks
    }

    private static func webp(_ bytes: [UInt8]) -> [MetadataBlock] {
        var blocks: [MetadataBlock] = []
        var offset = 12  // after "RIFF" size "WEBP"
        while offset + 8 <= bytes.count {
            let type = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let length = bytes[(offset + 4)..<(offset + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
            guard offset + 8 + length <= bytes.count else { break }
            blocks.append(MetadataBlock(kind: type, payload: bytes[(offset + 8)..<(offset + 8 + length)]))
            offset += 8 + length + (length & 1)  // chunks are padded to an even size
        }
        return blocks
    }
}
