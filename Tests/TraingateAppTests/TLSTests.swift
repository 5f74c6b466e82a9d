import Foundation
import Testing
import TestFixtures
import TraingateApp
import TraingateTesting

/// HTTPS with a certificate made for the test: curl, trusting only that certificate, talks
/// HTTP/2 (ALPN) and HTTP/1.1 to the running server; plain HTTP gets no answer; bad TLS
/// settings stop the start with a message naming the setting.
@Suite struct TLSTests {
    /// A self-signed P-256 certificate for localhost and 127.0.0.1, and its key, in `directory`.
    static func makeCertificate(in directory: URL, name: String = "server") async throws -> (certificate: String, key: String) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("\(name).crt").path
        let key = directory.appendingPathComponent("\(name).key").path
        let made = try await Subprocess.runOffPool(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ])
        try #require(made.status == 0, "openssl: \(made.output)")
        return (certificate, key)
    }

    /// curl's answer body followed by the HTTP version it spoke.
    static func curl(_ arguments: [String]) async throws -> String {
        let result = try await Subprocess.runOffPool(
            URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-sS", "--max-time", "20", "-w", " %{http_version}"] + arguments)
        return result.output
    }

    @Test func httpsServesHTTP2AndHTTP1() async throws {
        let directory = TestApp.newDirectory().appendingPathExtension("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try await Self.makeCertificate(in: directory)
        try await LiveServer.run(
            { port, _, _ in
                let url = "https://127.0.0.1:\(port)/healthz"
                #expect(try await Self.curl(["--cacert", files.certificate, url]) == #"{"status":"ok"} 2"#)
                #expect(try await Self.curl(["--http1.1", "--cacert", files.certificate, url]) == #"{"status":"ok"} 1.1"#)
                // An admission over HTTP/2 is decided and recorded like any other.
                let admitted = try await Self.curl([
                    "--cacert", files.certificate, "-H", "Content-Type: application/json", "--data-binary", Bodies.admission(),
                    "https://127.0.0.1:\(port)/v1/admissions",
                ])
                #expect(admitted.contains(#""decision":"admitted""#) && admitted.hasSuffix(" 2"), "\(admitted)")
                // Without the certificate trusted, curl refuses; plain HTTP gets no HTTP answer.
                let untrusted = try await Subprocess.runOffPool(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-sS", url])
                #expect(untrusted.status != 0)
                let plain = try await RawHTTP.exchange(port: port, Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8), receiveTimeout: 5)
                #expect(!plain.hasPrefix("HTTP/1.1"))
            },
            configure: {
                $0.tlsCertificatePath = files.certificate
                $0.tlsKeyPath = files.key
            })
    }

    @Test func badTLSSettingsStopTheStart() async throws {
        let directory = TestApp.newDirectory().appendingPathExtension("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await Self.makeCertificate(in: directory, name: "first")
        let second = try await Self.makeCertificate(in: directory, name: "second")
        let cases: [(String?, String?, String)] = [
            (first.certificate, nil, "must be set together"),
            (first.certificate, second.key, "does not fit"),
            (directory.appendingPathComponent("missing.crt").path, first.key, "http.tls_certificate: cannot read"),
            (first.certificate, first.certificate, "http.tls_key: cannot read"),
        ]
        for (certificate, key, message) in cases {
            let error = #expect(throws: (any Error).self) {
                _ = try TestApp.make {
                    $0.tlsCertificatePath = certificate
                    $0.tlsKeyPath = key
                }
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains(message), "\(String(describing: error))")
        }
    }
}
