import StrictDocuments
import Testing

/// JSON read as RFC 8259 says, where Foundation's parser was lenient: each case here was
/// accepted before and read differently from what its sender meant.
@Suite struct StrictJSONTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    private func refusal(_ bytes: [UInt8]) -> DocumentError? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error as? DocumentError
        }
    }

    private func refusal(_ text: String) -> DocumentError? { refusal(Array(text.utf8)) }

    /// A repeated member name is refused, named by its path, wherever it is.
    @Test func aMemberNameMayAppearOnce() {
        #expect(refusal(#"{"visibility":"private","visibility":"public"}"#)?.path == "visibility")
        #expect(refusal(#"{"subject":{"id":"a","id":"b"}}"#)?.path == "subject.id")
        #expect(refusal(#"{"a":[{"k":1,"k":1}]}"#)?.path == "a.k")
        // Escapes are decoded before names are compared.
        #expect(refusal(#"{"a":1,"\u0061":2}"#)?.path == "a")
    }

    @Test(arguments: [
        #"{"a":1,}"#, "[1,]", "[1,,2]", "{,}", #"{"a" 1}"#, "[1 2]", "{'a':1}", "01", "1.", ".5", "+1", "1e", "-", "tru", "nul",
        "NaN", "Infinity", #""a"#, "\"tab\there\"", #""\x""#, #""\u12""#, "[1]x", "",
    ])
    func grammarErrorsAreRefused(_ text: String) {
        let error = refusal(text)
        #expect(error != nil, "\(text)")
        #expect(error?.message.hasPrefix("body is not valid JSON: ") == true, "\(text): \(String(describing: error))")
    }

    /// Only UTF-8: UTF-16 (either order), a byte-order mark, invalid sequences and lone surrogates
    /// are refused.
    @Test func onlyUTF8() {
        let utf16 = Array(#"{"a":1}"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(refusal(utf16)?.message.contains("not UTF-8") == true)
        #expect(refusal([0xFF, 0xFE] + utf16)?.message.contains("not UTF-8") == true)
        #expect(refusal([0xEF, 0xBB, 0xBF] + Array("{}".utf8))?.message.contains("byte-order mark") == true)
        #expect(refusal([0x22, 0xC3, 0x28, 0x22])?.message.contains("not valid UTF-8") == true)
        #expect(refusal(#""\ud83d""#)?.message.contains("surrogate") == true)
        #expect(refusal(#""\ude00\ud83d""#)?.message.contains("surrogate") == true)
    }

    @Test func stringsAndEscapesDecode() throws {
        #expect(try parse(#""caf\u00e9 \ud83d\ude00\n\t\"\\\/""#) == .string("café 😀\n\t\"\\/"))
        #expect(try parse(#""ünïcödé 🙂""#) == .string("ünïcödé 🙂"))
        #expect(try parse(#"{"a":[true,false,null,"x"]}"#) == .object(["a": .array([.bool(true), .bool(false), .null, .string("x")])]))
    }

    /// Integers stay integers; numbers written with a fraction or exponent are numbers, so an
    /// integer field can tell `18` from `18.0`.
    @Test func numbersKeepHowTheyWereWritten() throws {
        #expect(try parse("18") == .integer(18))
        #expect(try parse("-7") == .integer(-7))
        #expect(try parse("0") == .integer(0))
        if case .number(let value) = try parse("18.0") { #expect(value == 18) } else { Issue.record("18.0 is not .number") }
        if case .number(let value) = try parse("1.5e2") { #expect(value == 150) } else { Issue.record("1.5e2 is not .number") }
        #expect(try parse("0.1") == .number(0.1))
        #expect(try parse("-2.5E-3") == .number(-0.0025))
        #expect(try parse("9223372036854775807") == .integer(Int.max))
    }

    /// A number that would change its value on the way in is refused, naming its member.
    @Test(arguments: [
        ("-0", "write 0"), ("1e-400", "would become 0"), ("17.9999999999999999", "would become 18.0"), ("1e400", "too large"),
        ("9223372036854775808", "64-bit integer range"), ("-1.00000000000000000001e1", "would become -10.0"),
    ])
    func numbersThatWouldChangeAreRefused(_ text: String, _ reason: String) {
        let error = refusal(#"{"subject":{"age":\#(text)}}"#)
        #expect(error?.path == "subject.age", "\(text)")
        #expect(error?.message.contains(reason) == true, "\(text): \(String(describing: error))")
    }

    /// At most `maxValues` values per document, counted as they are read: a body of millions of
    /// tiny values stops at the limit instead of being built in memory.
    @Test func valuesAreCounted() throws {
        let fits = "[" + Array(repeating: "0", count: JSONValue.maxValues - 1).joined(separator: ",") + "]"
        #expect(try parse(fits) != .null)
        let over = "[" + Array(repeating: "0", count: 1_000_000).joined(separator: ",") + "]"
        #expect(refusal(over)?.message.contains("more than \(JSONValue.maxValues) values") == true)
    }
}
