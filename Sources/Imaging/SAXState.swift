import CXML2

/// What `XMPDataMiningReader` collects while libxml2 parses one packet, reached from libxml2's
/// C callbacks through the parser's user-data pointer. Used by one parse on one thread.
final class SAXState {
    let maxDepth: Int
    var context: xmlParserCtxtPtr?
    var depth = 0
    var tooDeep = false
    var line = 0
    /// Set when the packet declares a document type (in any encoding): XMP has none.
    var hasDocumentType = false
    var values: [String] = []
    /// Text of the `plus:DataMining` element being read, if inside one (bounded).
    var text: [UInt8]?

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    private static func state(_ pointer: UnsafeMutableRawPointer?) -> SAXState {
        Unmanaged<SAXState>.fromOpaque(pointer!).takeUnretainedValue()
    }

    private static func string(_ text: UnsafePointer<xmlChar>?) -> String? {
        text.map { String(cString: $0) }
    }

    /// A SAX2 handler whose callbacks feed the state passed as the parser's user data.
    static func handler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { pointer, localName, _, uri, _, _, attributeCount, _, attributes in
            let state = SAXState.state(pointer)
            state.depth += 1
            guard state.depth <= state.maxDepth else {
                state.tooDeep = true
                xmlStopParser(state.context)
                return
            }
            let isDataMining = SAXState.string(localName) == "DataMining" && SAXState.string(uri) == XMPDataMiningReader.plusNamespace
            // Five pointers per attribute: local name, prefix, namespace URI, value start, value end.
            var resource: String?
            for index in 0..<Int(attributeCount) {
                guard let attributes, let name = SAXState.string(attributes[5 * index]), let start = attributes[5 * index + 3],
                    let end = attributes[5 * index + 4]
                else { continue }
                let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                let namespace = SAXState.string(attributes[5 * index + 2])
                if name == "DataMining", namespace == XMPDataMiningReader.plusNamespace {
                    state.values.append(XMPDataMiningReader.code(value))
                } else if isDataMining, name == "resource" {
                    resource = value
                }
            }
            if isDataMining {
                // The value as a resource (`rdf:resource="…"`), or as the element's text.
                if let resource { state.values.append(XMPDataMiningReader.code(resource)) } else { state.text = [] }
            }
        }
        // A DTD, however encoded (the byte check before parsing sees only ASCII): stop at once.
        handler.internalSubset = { pointer, _, _, _ in
            let state = SAXState.state(pointer)
            state.hasDocumentType = true
            xmlStopParser(state.context)
        }
        handler.characters = { pointer, characters, count in
            let state = SAXState.state(pointer)
            guard state.text != nil, let characters, (state.text?.count ?? 0) < 1024 else { return }
            state.text? += UnsafeBufferPointer(start: characters, count: Int(count))
        }
        handler.endElementNs = { pointer, localName, _, uri in
            let state = SAXState.state(pointer)
            state.depth -= 1
            guard SAXState.string(localName) == "DataMining", SAXState.string(uri) == XMPDataMiningReader.plusNamespace, let text = state.text else {
                return
            }
            let value = String(decoding: text, as: UTF8.self)
            if !value.allSatisfy(\.isWhitespace) { state.values.append(XMPDataMiningReader.code(value)) }
            state.text = nil
        }
        return handler
    }
}
