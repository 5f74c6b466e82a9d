import Foundation
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import NIOCore
import NIOSSL

/// How the server speaks on its socket: plain HTTP/1.1, or, with a certificate and key
/// configured, TLS only, with HTTP/2 or HTTP/1.1 chosen by ALPN. Both carry the same timeouts
/// and the same handlers for unreadable heads, `Expect: 100-continue` and the body deadline.
enum ServerTransport {
    /// The TLS files cannot be used; the message names the setting and the file.
    struct TLSSetupError: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameter connections: where plain HTTP/1.1 connections are tracked, so that the one
    ///   idle longest can be closed when every slot is taken. (Over TLS, HTTP/2 multiplexes
    ///   requests on one connection, and the idle timeout alone frees slots.)
    static func builder(for configuration: AppConfiguration, connections: ConnectionRegistry) throws -> HTTPServerBuilder {
        let bodyTimeout = TimeAmount.seconds(Int64(configuration.bodyTimeoutSeconds))
        let tls = try tlsConfiguration(for: configuration)
        let tracked = tls == nil ? connections : nil
        // An autoclosure: every connection (or HTTP/2 stream) gets handlers of its own.
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [HeadErrorHandler(), ContinueHandler(), BodyDeadlineHandler(timeout: bodyTimeout)]
                + (tracked.map { [ConnectionTracker(registry: $0)] } ?? []),
            idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))
        guard let tls else { return .http1(configuration: http1) }
        return try .http2Upgrade(
            tlsConfiguration: tls,
            configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds), streamConfiguration: http1))
    }

    /// The URL scheme clients use.
    static func scheme(for configuration: AppConfiguration) -> String {
        configuration.tlsCertificatePath == nil ? "http" : "https"
    }

    /// nil when TLS is not configured; both files or neither.
    static func tlsConfiguration(for configuration: AppConfiguration) throws -> TLSConfiguration? {
        switch (configuration.tlsCertificatePath, configuration.tlsKeyPath) {
        case (nil, nil):
            return nil
        case (let certificatePath?, let keyPath?):
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
            } catch {
                throw TLSSetupError(description: "http.tls_certificate: cannot read a PEM certificate from \(certificatePath) (\(error))")
            }
            guard !chain.isEmpty else { throw TLSSetupError(description: "http.tls_certificate: \(certificatePath) holds no certificate") }
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            } catch {
                throw TLSSetupError(description: "http.tls_key: cannot read a PEM private key from \(keyPath) (\(error))")
            }
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            tls.minimumTLSVersion = .tlsv12
            do {
                _ = try NIOSSLContext(configuration: tls)  // a key that does not match the certificate fails here, at start
            } catch {
                throw TLSSetupError(description: "http.tls_key does not fit http.tls_certificate (\(error))")
            }
            return tls
        default:
            throw TLSSetupError(description: "http.tls_certificate and http.tls_key must be set together (or neither, for plain HTTP)")
        }
    }
}
