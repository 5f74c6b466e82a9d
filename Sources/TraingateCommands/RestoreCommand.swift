import ArgumentParser
import Crypto
import Foundation
import TraingateApp
import TraingateStore

/// `traingate restore --from PATH --data-dir DIR`: puts a backup into a data directory no server
/// is using, after verifying it (`DataBackup`).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a data directory that no server is using; the audit chain is verified before and after.")

    @Option(help: "The backup directory (made by traingate backup).") var from: String
    @Option(help: "Data directory to restore into (default ./data, or the config file's).") var dataDir: String?
    @Option(help: "YAML config file, for a configured master key and data directory.") var config: String?
    @Flag(help: "Replace the database the data directory holds already.") var replace = false

    func run() async throws {
        let configuration = try CommandConfigurationLoader.loadForSQLite(file: config, dataDir: dataDir, command: "restore")
        let directory = URL(fileURLWithPath: configuration.dataDirectory)
        // The key the restored directory will be served with: configured, or its key file.
        let keyFile = MasterKeyFile.url(in: directory)
        var key: SymmetricKey?
        if let configured = configuration.masterKeyHex {
            key = try MasterKeyFile.load(configuredHex: configured, dataDirectory: directory, logger: .init(label: "restore"))
        } else if FileManager.default.fileExists(atPath: keyFile.path) {
            key = try MasterKeyFile.read(keyFile)
        }
        do {
            let report = try await DataBackup.restore(from: URL(fileURLWithPath: from), to: directory, masterKey: key, replace: replace)
            let head = report.head.map { "head seq \($0.seq) hash \($0.hash)" } ?? "empty log"
            print("restored into \(directory.path): \(report.entries) audit entries verified, \(head)")
        } catch let failure as DataBackup.Failure {
            throw ValidationError(failure.description)
        }
    }
}
