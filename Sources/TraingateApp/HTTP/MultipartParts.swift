import Hummingbird
import MultipartKit

/// The parts of a multipart/form-data body, parsed by MultipartKit.
struct MultipartParts {
    private var parts: [MultipartPart] = []

    var names: [String] { parts.map { $0.name ?? "(unnamed)" } }

    func count(named name: String) -> Int { parts.filter { $0.name == name }.count }

    func first(named name: String) -> ByteBuffer? { parts.first { $0.name == name }?.body }

    static func parse(_ body: ByteBuffer, boundary: String) throws -> MultipartParts {
        var result = MultipartParts()
        var headers = HTTPHeaders()
        var current = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in current.writeBuffer(&chunk) }
        parser.onPartComplete = {
            result.parts.append(MultipartPart(headers: headers, body: current))
            headers = HTTPHeaders()
            current = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            throw ProblemDetails(.malformedBody, detail: "The multipart body is malformed.")
        }
        guard !result.parts.isEmpty else {
            throw ProblemDetails(.malformedBody, detail: "The multipart body has no parts (wrong boundary?).")
        }
        return result
    }
}
