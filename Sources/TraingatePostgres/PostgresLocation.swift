import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store lives, from `storage.url`:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full]`
/// (also `postgresql://`). The password may instead come from `PGPASSWORD`, so that it stays
/// out of configuration files and process lists.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let username: String
    let password: String?
    public let database: String
    public let sslMode: SSLMode

    /// libpq's names and meanings: `require` encrypts without checking the server's certificate,
    /// `verify-full` also checks it against the system's trust roots and the host name.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// A URL that does not name a PostgreSQL store, with what is wrong in words.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else { throw Invalid(description: "storage.url must start with postgres:// or postgresql://") }
        guard let host = components.host, !host.isEmpty else { throw Invalid(description: "storage.url names no host") }
        // The percent-encoded parts, decoded once here: a password may hold a literal "%41".
        guard let username = components.percentEncodedUser, !username.isEmpty else {
            throw Invalid(description: "storage.url names no user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.percentEncodedPath.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "storage.url names no database (postgres://USER@HOST/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw Invalid(description: "storage.url's port must be 1-65535") }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw Invalid(description: "storage.url's parameter \(item.name) is not known (known: sslmode)")
            }
            guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                throw Invalid(description: "storage.url's sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = mode
        }
        self.host = host
        self.port = port
        self.username = username.removingPercentEncoding ?? username
        self.password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"]
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
    }

    /// The client's configuration: at most `connections` connections to the server.
    func clientConfiguration(connections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = tlsConfiguration.map { sslMode == .prefer ? .prefer($0) : .require($0) } ?? .disable
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = connections
        return configuration
    }

    /// A single connection's configuration (for what must hold a session of its own: the
    /// training lead's advisory lock).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            try tlsConfiguration.map { configuration in
                let context = try NIOSSLContext(configuration: configuration)
                return sslMode == .prefer ? .prefer(context) : .require(context)
            } ?? .disable
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// TLS as `sslMode` asks (nil: none). `prefer` and `require` encrypt without checking the
    /// server's certificate; `verify-full` checks it against the system's roots and the host name.
    private var tlsConfiguration: TLSConfiguration? {
        switch sslMode {
        case .disable: return nil
        case .prefer, .require:
            var unchecked = TLSConfiguration.makeClientConfiguration()
            unchecked.certificateVerification = .none
            return unchecked
        case .verifyFull: return .makeClientConfiguration()
        }
    }

    /// The URL without its password, for logs and error messages.
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)" }
}
