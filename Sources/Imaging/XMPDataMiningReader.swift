import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads the IPTC Photo Metadata "Data Mining" property (`plus:DataMining`, PLUS namespace
/// `http://ns.useplus.org/ldf/xmp/1.0/`) from an XMP packet with libxml2 (through Foundation's
/// `XMLParser`), within bounds: a packet over `maxBytes`, one with a document type declaration
/// (XMP has none; entity expansion needs one), or one nested deeper than `maxDepth` is not read
/// at all, and a malformed one stops at its first error. Each case leaves a note, never a crash.
enum XMPDataMiningReader {
    static let plusNamespace = "http://ns.useplus.org/ldf/xmp/1.0/"
    static let rdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

    /// The `plus:DataMining` values found (vocabulary codes, upper-cased), or a note saying why
    /// the packet was not read.
    static func values(in packet: ArraySlice<UInt8>, maxBytes: Int, maxDepth: Int) -> (values: [String], note: String?) {
        guard packet.count <= maxBytes else {
            return ([], "XMP packet of \(packet.count) bytes not read (limit \(maxBytes))")
        }
        let text = Data(packet)
        for declaration in ["<!DOCTYPE", "<!ENTITY"] where text.range(of: Data(declaration.utf8)) != nil {
            return ([], "XMP packet with a document type declaration not read (XMP has none)")
        }
        let parser = XMLParser(data: text)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.shouldResolveExternalEntities = false
        let delegate = Delegate(maxDepth: maxDepth)
        parser.delegate = delegate
        let parsed = parser.parse()
        if delegate.tooDeep { return ([], "XMP packet nested deeper than \(maxDepth) elements not read") }
        // Foundation's parser can answer true and still record an error (a tag left open).
        guard parsed, parser.parserError == nil else {
            // Values read before the error still count: a reservation is honoured when seen.
            let error = (parser.parserError as NSError?).map { "error \($0.code)" } ?? "an error"
            return (delegate.values, "XMP packet malformed (\(error) at line \(parser.lineNumber)); read up to it")
        }
        return (delegate.values, nil)
    }

    /// A vocabulary code from a `plus:DataMining` value: the URI's last path segment
    /// (`http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED`) or the bare code, upper-cased.
    static func code(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return String(trimmed.split(separator: "/").last ?? Substring(trimmed)).uppercased()
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let maxDepth: Int
        var depth = 0
        var tooDeep = false
        var values: [String] = []
        /// Namespace URIs by prefix, innermost mapping last (attributes come with their prefix).
        var prefixes: [String: [String]] = [:]
        /// Text of the `plus:DataMining` element being read, if inside one.
        var text: String?

        init(maxDepth: Int) {
            self.maxDepth = maxDepth
        }

        func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
            prefixes[prefix, default: []].append(namespaceURI)
        }

        func parser(_ parser: XMLParser, didEndMappingPrefix prefix: String) {
            _ = prefixes[prefix]?.popLast()
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            depth += 1
            if depth > maxDepth {
                tooDeep = true
                parser.abortParsing()
                return
            }
            for (name, value) in attributes {
                let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[1] == "DataMining", prefixes[parts[0]]?.last == XMPDataMiningReader.plusNamespace
                else { continue }
                values.append(XMPDataMiningReader.code(value))
            }
            if elementName == "DataMining", namespaceURI == XMPDataMiningReader.plusNamespace {
                // The value as text, or as a resource (`rdf:resource="…"`).
                if let resource = attributes.first(where: { $0.key.hasSuffix(":resource") })?.value {
                    values.append(XMPDataMiningReader.code(resource))
                } else {
                    text = ""
                }
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if text != nil, (text?.count ?? 0) < 1024 { text? += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if elementName == "DataMining", namespaceURI == XMPDataMiningReader.plusNamespace, let value = text {
                if !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { values.append(XMPDataMiningReader.code(value)) }
                text = nil
            }
        }
    }
}
