/// Finds a C2PA manifest store (a JUMBF superbox): in JPEG, APP11 segments (`JP` boxes, split
/// across segments and reassembled by box instance and sequence number); in PNG, the `caBX`
/// chunk; in WebP, the `C2PA` chunk.
enum C2PAManifestLocator {
    static func stores(in blocks: [MetadataBlock], format: ImageFormat) -> [(bytes: [UInt8], location: String)] {
        switch format {
        case .png: return blocks.filter { $0.kind == "caBX" }.map { (Array($0.payload), "PNG caBX chunk") }
        case .webp: return blocks.filter { $0.kind == "C2PA" }.map { (Array($0.payload), "WebP C2PA chunk") }
        case .jpeg: return jpeg(blocks)
        }
    }

    /// APP11 payload: `JP` (the common identifier), box instance (2 bytes), sequence number
    /// (4 bytes), then the box; segments after the first repeat the box's 8-byte header.
    private static func jpeg(_ blocks: [MetadataBlock]) -> [(bytes: [UInt8], location: String)] {
        var pieces: [Int: [(sequence: Int, bytes: ArraySlice<UInt8>)]] = [:]
        for block in blocks where block.kind == "APP11" && block.payload.count > 16 && block.payload.starts(with: [0x4A, 0x50]) {
            let payload = block.payload
            let start = payload.startIndex
            let instance = Int(payload[start + 2]) << 8 | Int(payload[start + 3])
            let sequence = payload[(start + 4)..<(start + 8)].reduce(0) { $0 << 8 | Int($1) }
            pieces[instance, default: []].append((sequence, payload[(start + (sequence <= 1 ? 8 : 16))...]))
        }
        return pieces.keys.sorted().map { instance in
            (pieces[instance]!.sorted { $0.sequence < $1.sequence }.flatMap(\.bytes), "JPEG APP11")
        }
    }
}
