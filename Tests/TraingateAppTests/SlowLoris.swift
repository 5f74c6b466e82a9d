import Foundation
import TestFixtures
#if canImport(Glibc)
    import Glibc
#endif

/// The slow-loris attack: many connections, each sending a request head one byte at a time, a
/// byte every `interval`, to hold the server's connections without ever completing a request.
enum SlowLoris {
    /// A request head that never ends, the default trickle.
    static let endlessHead = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 4096)

    /// Runs for at most `duration` on a thread of its own (blocking calls) and returns how many
    /// of the `connections` the server closed. Each connection sends `preamble` at once (a whole
    /// head, say), then `trickle` a byte every `interval`.
    static func run(
        port: Int, connections: Int, interval: Duration, duration: Duration, preamble: [UInt8] = [], trickle: [UInt8] = endlessHead
    ) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try blockingRun(
                            port: port, connections: connections, interval: interval, duration: duration, preamble: preamble, head: trickle)
                    })
            }.start()
        }
    }

    private static func blockingRun(
        port: Int, connections: Int, interval: Duration, duration: Duration, preamble: [UInt8], head: [UInt8]
    ) throws -> Int {
        var sockets = try (0..<connections).map { _ in try LoopbackSocket.connect(port: port) }
        for fd in sockets where !preamble.isEmpty {
            guard preamble.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == preamble.count else {
                throw RawHTTP.Failure(step: "send preamble")
            }
        }
        defer { for fd in sockets where fd >= 0 { close(fd) } }
        let deadline = ContinuousClock.now + duration
        var position = 0
        var closed = 0
        while ContinuousClock.now < deadline, closed < connections {
            for index in sockets.indices where sockets[index] >= 0 {
                let byte = head[position % head.count]
                // MSG_NOSIGNAL: a write to a connection the server closed must fail, not kill the test with SIGPIPE.
                let sent = withUnsafePointer(to: byte) { send(sockets[index], $0, 1, Int32(MSG_NOSIGNAL)) }
                if sent != 1 || isClosedByPeer(sockets[index]) {
                    close(sockets[index])
                    sockets[index] = -1
                    closed += 1
                }
            }
            position += 1
            Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
        }
        return closed
    }

    /// Whether the server has closed its end: a non-blocking read finds end of file (or a reset).
    private static func isClosedByPeer(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}
