import CXML2

/// Reads the IPTC Photo Metadata "Data Mining" property (`plus:DataMining`, PLUS namespace
/// `http://ns.useplus.org/ldf/xmp/1.0/`) from an XMP packet with libxml2's SAX2 parser, within
/// bounds: a packet over `maxBytes`, one with a document type declaration (XMP has none; entity
/// expansion needs one) or one nested deeper than `maxDepth` is not read at all, and a
/// malformed one is read up to its first error. Each case leaves a note, never a crash.
///
/// libxml2 directly rather than Foundation's `XMLParser`: on Linux that wrapper leaks about
/// 290 bytes for every document with an error (measured: 56 MB over 200,000 malformed packets,
/// LeakSanitizer in the fuzzer), which a client could repeat at will.
enum XMPDataMiningReader {
    static let plusNamespace = "http://ns.useplus.org/ldf/xmp/1.0/"

    /// libxml2's global state, set up once before any thread parses.
    private static let initialized: Void = xmlInitParser()

    /// The `plus:DataMining` values found (vocabulary codes, upper-cased), or a note saying why
    /// the packet was not (fully) read.
    static func values(in packet: ArraySlice<UInt8>, maxBytes: Int, maxDepth: Int) -> (values: [String], note: String?) {
        guard packet.count <= maxBytes else {
            return ([], "XMP packet of \(packet.count) bytes not read (limit \(maxBytes))")
        }
        for declaration in ["<!DOCTYPE", "<!ENTITY"] where contains(packet, Array(declaration.utf8)) {
            return ([], "XMP packet with a document type declaration not read (XMP has none)")
        }
        _ = initialized
        let state = SAXState(maxDepth: maxDepth)
        var handler = SAXState.handler()
        let wellFormed: Bool = withExtendedLifetime(state) {
            guard let context = xmlCreatePushParserCtxt(&handler, Unmanaged.passUnretained(state).toOpaque(), nil, 0, nil) else {
                return false
            }
            defer {
                // libxml2 keeps a document of its own for entity declarations met in SAX mode
                // (`myDoc`); the context does not free it.
                if let document = context.pointee.myDoc { xmlFreeDoc(document) }
                xmlFreeParserCtxt(context)
            }
            // Never the network, never a message on stderr: the outcome is read from the context.
            _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
            state.context = context
            _ = packet.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { xmlParseChunk(context, $0.baseAddress, Int32(bytes.count), 1) }
            }
            state.line = Int(xmlSAX2GetLineNumber(context))
            return context.pointee.wellFormed != 0
        }
        if state.hasDocumentType { return ([], "XMP packet with a document type declaration not read (XMP has none)") }
        if state.tooDeep { return ([], "XMP packet nested deeper than \(maxDepth) elements not read") }
        guard wellFormed else {
            // Values read before the error still count: a reservation is honoured when seen.
            return (state.values, "XMP packet malformed (at line \(state.line)); read up to the error")
        }
        return (state.values, nil)
    }

    /// A vocabulary code from a `plus:DataMining` value: the URI's last path segment
    /// (`http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED`) or the bare code, upper-cased.
    static func code(_ value: String) -> String {
        let trimmed = value.split(whereSeparator: \.isWhitespace).joined()
        return String(trimmed.split(separator: "/").last ?? Substring(trimmed)).uppercased()
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return haystack.indices.dropLast(needle.count - 1).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
