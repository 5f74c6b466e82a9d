import StrictDocuments
import Testing

/// Nesting is bounded as the parser recurses: a body of `[` cannot make it dig to any depth.
@Suite struct JSONDepthTests {
    private func nested(_ depth: Int) -> [UInt8] {
        Array(String(repeating: "[", count: depth).utf8) + Array(String(repeating: "]", count: depth).utf8)
    }

    @Test func documentsUpToTheLimitParseAndDeeperOnesAreRefused() throws {
        _ = try JSONValue.parse(nested(JSONValue.maxDepth))
        for depth in [JSONValue.maxDepth + 1, 100_000] {
            #expect(throws: DocumentError.self, "\(depth)") { try JSONValue.parse(nested(depth)) }
            do {
                _ = try JSONValue.parse(nested(depth))
            } catch let error as DocumentError {
                #expect(error.message.contains("deeper than \(JSONValue.maxDepth) levels"))
            }
        }
    }

    /// Brackets inside strings, escaped quotes included, are text, not nesting.
    @Test func bracketsInStringsDoNotCount() throws {
        let text = #"{"a": "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#
        #expect(
            try JSONValue.parse(Array(text.utf8))
                == .object(["a": .string(#""[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["#)]))
    }
}
