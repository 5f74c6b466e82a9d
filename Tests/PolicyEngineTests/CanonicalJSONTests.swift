import Foundation
import StrictDocuments
import Testing

/// The audit format promises byte equality with Python's json.dumps; check it against Python itself.
@Suite struct CanonicalJSONTests {
    @Test func matchesPythonJSONDumpsByteForByte() throws {
        let value = JSONValue.object([
            "z": .array([.string("é \"quoted\" \\ back"), .string("tab\tnew\nline\u{01}"), .null, .bool(true)]),
            "a": .number(42), "m": .object(["k": .number(-7), "emoji": .string("🙂 ünïcödé")]), "b": .bool(false),
        ])
        let swiftBytes = CanonicalJSON.encode(value)
        let script = """
            import json, sys
            v = {"z": ["é \\"quoted\\" \\\\ back", "tab\\tnew\\nline\\u0001", None, True], "a": 42,
                 "m": {"k": -7, "emoji": "🙂 ünïcödé"}, "b": False}
            sys.stdout.buffer.write(json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let pythonBytes = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: swiftBytes, as: UTF8.self) == String(decoding: pythonBytes, as: UTF8.self))
        #expect(swiftBytes == Array(pythonBytes))
    }
}
