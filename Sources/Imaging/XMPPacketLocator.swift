/// Finds XMP packets: a JPEG APP1 segment named `http://ns.adobe.com/xap/1.0/`, a PNG `iTXt`
/// chunk with the keyword `XML:com.adobe.xmp`, a WebP `XMP ` chunk.
enum XMPPacketLocator {
    static let jpegNamespace: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]
    static let pngKeyword: [UInt8] = Array("XML:com.adobe.xmp".utf8) + [0]

    enum Found {
        case packet(ArraySlice<UInt8>, location: String)
        /// An XMP chunk whose text is zlib-compressed (PNG `iTXt` allows it; XMP writers don't use it).
        case compressed(location: String)
    }

    static func packets(in blocks: [MetadataBlock], format: ImageFormat) -> [Found] {
        blocks.compactMap { block in
            switch (format, block.kind) {
            case (.jpeg, "APP1") where block.payload.starts(with: jpegNamespace):
                return .packet(block.payload.dropFirst(jpegNamespace.count), location: "JPEG APP1")
            case (.png, "iTXt") where block.payload.starts(with: pngKeyword):
                return pngText(block.payload.dropFirst(pngKeyword.count))
            case (.webp, "XMP "):
                return .packet(block.payload, location: "WebP XMP chunk")
            default:
                return nil
            }
        }
    }

    /// The text of an `iTXt` chunk after its keyword: compression flag and method, then a
    /// language tag and a translated keyword, each NUL-terminated.
    private static func pngText(_ rest: ArraySlice<UInt8>) -> Found? {
        guard rest.count >= 2 else { return nil }
        let location = "PNG iTXt XML:com.adobe.xmp"
        if rest[rest.startIndex] != 0 { return .compressed(location: location) }
        var text = rest.dropFirst(2)
        for _ in 0..<2 {
            guard let end = text.firstIndex(of: 0) else { return nil }
            text = text[(end + 1)...]
        }
        return .packet(text, location: location)
    }
}
