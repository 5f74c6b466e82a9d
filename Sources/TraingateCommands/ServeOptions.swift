import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import TraingateApp
import TraingateStore

/// The flags of `traingate serve`, and what serving means: merge the configuration, set up
/// logging and metrics, build the app and run it until SIGTERM or SIGINT. Public so that another
/// package's server (bench/'s) serves the same way with its own extensions mounted.
public struct ServeOptions: ParsableArguments {
    // Optional with no defaults, so that unset flags do not override the environment or the config file.
    @Option(help: "Address to bind (default 127.0.0.1).") var host: String?
    @Option(help: "Port to bind; 0 picks a free one (default 8080).") var port: Int?
    @Option(help: "Directory for the database and keys (default ./data).") var dataDir: String?
    @Option(help: "YAML config file (see config/traingate.yaml).") var config: String?
    @Option(help: "postgres://user@host:port/database for a PostgreSQL store (password from PGPASSWORD); default: SQLite in the data directory.")
    var storageURL: String?
    @Option(help: "Policy YAML file (default: the policy compiled into the binary).") var policy: String?
    @Option(help: "Regimes the operator is established in, comma-separated (e.g. EU), or 'none'; overrides the policy's controller.established_in.")
    var establishedIn: String?
    @Option(help: "PEM certificate chain; with --tls-key, serves HTTPS (HTTP/2 or HTTP/1.1).") var tlsCertificate: String?
    @Option(help: "PEM private key of --tls-certificate.") var tlsKey: String?

    public init() {}

    /// The configuration file, then the environment, then these flags.
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        var overrides: [String: String] = [:]
        overrides["http.host"] = host
        overrides["http.port"] = port.map(String.init)
        overrides["data.dir"] = dataDir
        overrides["storage.url"] = storageURL
        overrides["policy.path"] = policy
        overrides["policy.established_in"] = establishedIn
        overrides["http.tls_certificate"] = tlsCertificate
        overrides["http.tls_key"] = tlsKey
        do {
            return try AppConfiguration.load(file: config, environment: environment, overrides: overrides)
        } catch {
            throw ValidationError("configuration: \(error)")
        }
    }

    /// Runs the service with `extensions` mounted until it is asked to stop.
    public func serve(extensions: [any ApplicationExtension] = []) async throws {
        let configuration = try configuration()
        // One server per data directory, and no master key rotation beside it.
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: URL(fileURLWithPath: configuration.dataDirectory))
        } catch let held as DataDirectoryLock.Held {
            throw ValidationError(held.description)
        }
        defer { withExtendedLifetime(lock) {} }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        let json = configuration.logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLineLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "traingate")
        let traingate = try await openApplication(
            configuration: configuration, logger: logger, registry: registry,
            onListening: { address in
                // Unbuffered, so scripts waiting for this line see it at once.
                FileHandle.standardOutput.write(
                    Data(
                        "traingate listening on \(address) (data: \(configuration.storageURL.map(Self.withoutPassword) ?? configuration.dataDirectory))\n"
                            .utf8))
            }, extensions: extensions)
        FileHandle.standardOutput.write(Data("traingate \(traingate.policy.establishmentStatement)\n".utf8))
        FileHandle.standardOutput.write(Data("traingate \(traingate.accessStatement)\n".utf8))
        try await traingate.runService()
        logger.info("traingate stopped; database closed")
    }

    /// A storage URL as it may be printed: any password in it replaced.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
