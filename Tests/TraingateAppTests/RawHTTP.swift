import Foundation
import TestFixtures
#if canImport(Glibc)
    import Glibc
#endif

/// A deliberately dumb HTTP/1.1 client over a plain TCP socket, like `curl --raw`: it sends the
/// bytes given and returns every byte the server sends until it closes the connection.
enum RawHTTP {
    struct Failure: Error { let step: String }

    /// Runs the blocking socket calls on a thread of their own: blocking the few threads of Swift's
    /// cooperative pool (or Dispatch's small pool) would starve the server under test.
    /// - Parameter receiveTimeout: seconds to wait for the server's bytes before giving up; nil
    ///   waits until the server closes the connection, however long that takes.
    /// - Parameter halfClose: shut down the sending side after the request (the client is done,
    ///   however short its body); `firstBytesOnly` returns after the first bytes received, and
    ///   `oneResponse` once a whole response with a Content-Length has arrived (a connection the
    ///   server keeps open for the next request need not time out).
    static func exchange(
        port: Int, _ request: [UInt8], receiveTimeout: Int? = 15, halfClose: Bool = false, firstBytesOnly: Bool = false,
        oneResponse: Bool = false
    ) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try blockingExchange(
                            port: port, request, receiveTimeout: receiveTimeout, halfClose: halfClose, firstBytesOnly: firstBytesOnly,
                            oneResponse: oneResponse)
                    })
            }.start()
        }
    }

    private static func blockingExchange(
        port: Int, _ request: [UInt8], receiveTimeout: Int?, halfClose: Bool, firstBytesOnly: Bool, oneResponse: Bool
    ) throws -> String {
        // A server that never answers fails the test instead of hanging it.
        let fd = try LoopbackSocket.connect(port: port, receiveTimeout: receiveTimeout)
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(step: "send") }
            sent += n
        }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
            if firstBytesOnly || (oneResponse && isWhole(response)) { break }
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// Whether `response` holds a head and as many body bytes as its Content-Length says.
    private static func isWhole(_ response: [UInt8]) -> Bool {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = response.indices.dropLast(3).first(where: { response[$0..<$0 + 4].elementsEqual(separator) }) else { return false }
        let length = String(decoding: response[..<end], as: UTF8.self).split(separator: "\r\n").lazy
            .compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first
        guard let length else { return false }
        return response.count - (end + 4) >= length
    }

    static func post(port: Int, path: String, contentType: String, body: String) async throws -> String {
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        return try await exchange(port: port, Array((head + body).utf8))
    }
}
