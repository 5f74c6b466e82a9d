import Foundation
import Testing
import TraingateTesting

/// Requests whose HTTP/1.1 framing is wrong are the client's fault: 400 problem+json
/// (`malformed-request`) saying what is wrong, never 500, and the server goes on serving.
@Suite struct FramingTests {
    static let admissionHead = "POST /v1/admissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"

    static let probes: [(name: String, bytes: String, detail: String)] = [
        ("chunk size zz", admissionHead + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "chunk size"),
        ("chunk size -1", admissionHead + "Transfer-Encoding: chunked\r\n\r\n-1\r\nabc\r\n0\r\n\r\n", "chunk size"),
        ("TE: xchunked", admissionHead + "Transfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "Transfer-Encoding 'xchunked'"),
        ("TE: gzip, chunked", admissionHead + "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "Transfer-Encoding 'gzip, chunked'"),
        (
            "Content-Length and Transfer-Encoding", admissionHead + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "Content-Length"
        ),
        ("no Host", "GET /healthz HTTP/1.1\r\n\r\n", "no Host header"),
        ("two Hosts", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host"),
    ]

    @Test(arguments: probes.indices) func aFramingErrorIsA400(_ index: Int) async throws {
        let probe = Self.probes[index]
        try await LiveServer.run { port, _, _ in
            let answer = try await RawHTTP.exchange(port: port, Array(probe.bytes.utf8), receiveTimeout: 30, oneResponse: true)
            #expect(answer.hasPrefix("HTTP/1.1 400 "), "\(probe.name): \(answer.prefix(200))")
            #expect(answer.contains("Content-Type: application/problem+json"), "\(probe.name)")
            #expect(answer.contains("https://traingate.dev/problems/malformed-request"), "\(probe.name)")
            #expect(answer.contains(probe.detail), "\(probe.name): \(answer)")
            let healthy = try await RawHTTP.exchange(port: port, Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(healthy.hasPrefix("HTTP/1.1 200 "))
        }
    }

    /// A body shorter than its Content-Length (the client gives up sending) is a 400 that says so.
    @Test func aBodyCutShortIsA400() async throws {
        try await LiveServer.run { port, _, _ in
            let bytes = Array((Self.admissionHead + "Content-Length: 100\r\n\r\n{\"a\":1}").utf8)
            let answer = try await RawHTTP.exchange(port: port, bytes, receiveTimeout: 30, halfClose: true)
            #expect(answer.hasPrefix("HTTP/1.1 400 "), "\(answer.prefix(200))")
            #expect(answer.contains("ended before the whole body arrived"))
        }
    }

    /// `Expect: 100-continue` is answered at once, before the final answer (curl waits a second
    /// for it before every upload over 1 MB).
    @Test func expectContinueIsAnswered() async throws {
        try await LiveServer.run { port, _, _ in
            let head = Self.admissionHead + "Content-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
            let interim = try await RawHTTP.exchange(port: port, Array(head.utf8), receiveTimeout: 30, firstBytesOnly: true)
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim)")
        }
    }

    /// A body trickled a byte every 200 ms is never idle, yet the connection is closed once the
    /// body deadline (1 s here) has passed; the test gives it 30 s.
    @Test func aTrickledBodyIsCutOffAtTheBodyDeadline() async throws {
        try await LiveServer.run(
            { port, _, _ in
                let head = Array((Self.admissionHead + "Content-Length: 100000\r\n\r\n").utf8)
                let closed = try await SlowLoris.run(
                    port: port, connections: 1, interval: .milliseconds(200), duration: .seconds(30), preamble: head,
                    trickle: Array(repeating: UInt8(ascii: " "), count: 100_000))
                #expect(closed == 1)
            },
            configure: {
                $0.bodyTimeoutSeconds = 1
                $0.idleTimeoutSeconds = 3600
            })
    }
}
