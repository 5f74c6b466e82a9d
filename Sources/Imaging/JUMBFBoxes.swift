/// The boxes of ISO/IEC 19566-5 (JUMBF), which C2PA stores its manifests in: each a 4-byte
/// length, a 4-character type and a payload; a `jumb` superbox holds a `jumd` description box
/// (whose label names it) followed by its content boxes. Lengths are checked against what is
/// left, and the walk is bounded in depth and in the number of boxes.
struct JUMBFBoxes {
    struct Box {
        let type: String
        let payload: ArraySlice<UInt8>
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static let maxDepth = 16
    static let maxBoxes = 10_000

    /// The boxes laid end to end in `bytes`.
    static func boxes(in bytes: ArraySlice<UInt8>) throws -> [Box] {
        var boxes: [Box] = []
        var offset = bytes.startIndex
        while offset + 8 <= bytes.endIndex {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt64($1) }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            var header = 8
            var size = length
            if length == 1 {
                guard offset + 16 <= bytes.endIndex else { throw Malformed(description: "JUMBF box length past the end") }
                size = bytes[(offset + 8)..<(offset + 16)].reduce(0) { $0 << 8 | UInt64($1) }
                header = 16
            } else if length == 0 {
                size = UInt64(bytes.endIndex - offset)  // the box runs to the end
            }
            guard size >= UInt64(header), size <= UInt64(bytes.endIndex - offset) else {
                throw Malformed(description: "JUMBF box '\(type)' has a bad length")
            }
            boxes.append(Box(type: type, payload: bytes[(offset + header)..<(offset + Int(size))]))
            guard boxes.count <= maxBoxes else { throw Malformed(description: "JUMBF with more than \(maxBoxes) boxes") }
            offset += Int(size)
        }
        return boxes
    }

    /// A superbox's label (from its `jumd` box) and its content boxes.
    static func superbox(_ box: Box) throws -> (label: String?, content: [Box]) {
        let children = try boxes(in: box.payload)
        guard let description = children.first, description.type == "jumd", description.payload.count >= 17 else {
            throw Malformed(description: "JUMBF superbox without a description box")
        }
        let toggles = description.payload[description.payload.startIndex + 16]
        var label: String?
        if toggles & 0x02 != 0 {
            let text = description.payload[(description.payload.startIndex + 17)...]
            label = String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
        }
        return (label, Array(children.dropFirst()))
    }

    /// Every superbox, depth first, with its label and content: `visit` sees each once.
    static func walk(_ bytes: ArraySlice<UInt8>, visit: (_ label: String?, _ content: [Box]) throws -> Void) throws {
        var seen = 0
        func descend(_ boxes: [Box], depth: Int) throws {
            guard depth <= maxDepth else { throw Malformed(description: "JUMBF nested deeper than \(maxDepth)") }
            for box in boxes where box.type == "jumb" {
                seen += 1
                guard seen <= maxBoxes else { throw Malformed(description: "JUMBF with more than \(maxBoxes) superboxes") }
                let (label, content) = try superbox(box)
                try visit(label, content)
                try descend(content, depth: depth + 1)
            }
        }
        try descend(try boxes(in: bytes), depth: 0)
    }
}
