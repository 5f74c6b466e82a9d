import Foundation
import GRDB
import Testing
import TraingateTesting

/// docs/security.md, "Hostile input checklist", one probe per row: each is answered 4xx with a
/// problem+json body on the real socket, and the server goes on serving.
@Suite struct SecurityChecklistTests {
    private static let admission = "POST /v1/admissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"

    private static func json(_ body: String) -> [UInt8] {
        Array((admission + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
    }

    private static func multipart(parts: Int) -> [UInt8] {
        let body = String(repeating: "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\n\r\n", count: parts) + "--b--\r\n"
        let head = "POST /v1/admissions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        return Array((head + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
    }

    static let probes: [(name: String, request: [UInt8], status: String)] = [
        ("oversized headers", Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n".utf8), "400"),
        ("oversized body", Array((admission + "Content-Length: 900000000\r\n\r\n").utf8), "413"),
        (
            "Content-Length with Transfer-Encoding",
            Array((admission + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").utf8), "400"
        ),
        ("bad chunk size", Array((admission + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n").utf8), "400"),
        ("deep JSON", json(String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)), "400"),
        ("many parts", multipart(parts: 50_000), "413"),
        ("invalid UTF-8", Array((admission + "Content-Length: 4\r\nConnection: close\r\n\r\n").utf8) + [0x22, 0xC3, 0x28, 0x22], "400"),
        ("a path with ..", Array("GET /v1/../healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), "404"),
        ("a path with %2e%2e", Array("GET /v1/admissions/%2e%2e/%2e%2e/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), "404"),
        ("unknown query parameter", Array("GET /v1/policy?verbose=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), "400"),
        ("unknown query parameter on a POST", json(Bodies.admission()).replacingPath("/v1/admissions", with: "/v1/admissions?dry_run=1"), "400"),
    ]

    @Test(arguments: probes.indices) func eachProbeIsA4xxProblemAndTheServerGoesOn(_ index: Int) async throws {
        let probe = Self.probes[index]
        try await LiveServer.run { port, traingate, _ in
            let answer = try await RawHTTP.exchange(port: port, probe.request, receiveTimeout: 10)
            #expect(answer.hasPrefix("HTTP/1.1 \(probe.status) "), "\(probe.name): \(answer.prefix(160))")
            #expect(answer.contains("Content-Type: application/problem+json\r\n"), "\(probe.name)")
            #expect(!answer.contains("Swift") && !answer.contains("/work/") && !answer.contains("SQL"), "\(probe.name)")
            let healthy = try await RawHTTP.exchange(port: port, Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            #expect(healthy.hasPrefix("HTTP/1.1 200 "), "\(probe.name)")
            let recorded = try await traingate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission")! }
            #expect(recorded == 0, "\(probe.name)")
        }
    }
}

extension [UInt8] {
    /// The request with its target's path replaced (the first occurrence).
    fileprivate func replacingPath(_ path: String, with replacement: String) -> [UInt8] {
        Array(String(decoding: self, as: UTF8.self).replacing(path, with: replacement, maxReplacements: 1).utf8)
    }
}
