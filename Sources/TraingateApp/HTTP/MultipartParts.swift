import Hummingbird
import MultipartKit

/// The parts of a multipart/form-data body, parsed by MultipartKit.
struct MultipartParts {
    private var parts: [MultipartPart] = []

    var names: [String] { parts.map { $0.name ?? "(unnamed)" } }

    func count(named name: String) -> Int { parts.filter { $0.name == name }.count }

    func first(named name: String) -> ByteBuffer? { parts.first { $0.name == name }?.body }

    /// - Parameter maxParts: more parts are refused (413) as soon as they are counted: the body
    ///   is fed to the parser 64 KiB at a time, so a body of 200,000 tiny parts costs no more
    ///   than its first slice past the limit.
    static func parse(_ body: ByteBuffer, boundary: String, maxParts: Int) throws -> MultipartParts {
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
        var remaining = body
        while let slice = remaining.readSlice(length: min(remaining.readableBytes, 64 * 1024)), slice.readableBytes > 0 {
            do {
                try parser.execute(slice)
            } catch {
                throw ProblemDetails(.malformedBody, detail: "The multipart body is malformed (check its boundary and part headers).")
            }
            guard result.parts.count <= maxParts else {
                throw ProblemDetails(
                    .payloadTooLarge,
                    detail:
                        "The multipart body has more than \(maxParts) parts (limits.max_multipart_parts); send 'metadata' and optionally 'image'.",
                    limit: .multipartParts)
            }
        }
        guard !result.parts.isEmpty else {
            throw ProblemDetails(.malformedBody, detail: "The multipart body has no parts (wrong boundary?).")
        }
        return result
    }
}
