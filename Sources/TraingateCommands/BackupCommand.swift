import ArgumentParser
import Foundation
import Logging
import TraingateApp
import TraingateStore

/// `traingate backup --to PATH`: a consistent copy of the data directory, safe while the server
/// runs, verified before it says done (`DataBackup`).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the data directory while the server runs (database, anchors), and verify the copy's audit chain.")

    @Option(help: "A new or empty directory for the backup.") var to: String
    @Option(help: "Data directory of the service (default ./data, or the config file's).") var dataDir: String?
    @Option(help: "YAML config file, for a configured master key and data directory.") var config: String?
    @Flag(help: "Also copy the master key into the backup. Keep such a backup as safe as the key (docs/operations.md).")
    var includeMasterKey = false

    func run() async throws {
        let configuration = try CommandConfigurationLoader.loadForSQLite(file: config, dataDir: dataDir, command: "backup")
        let directory = URL(fileURLWithPath: configuration.dataDirectory)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(AppDatabase.fileName).path) else {
            throw ValidationError("\(directory.path) holds no traingate database")
        }
        // The server's key: configured, or its key file. Never a new one (load would make one).
        let keyFile = MasterKeyFile.url(in: directory)
        guard configuration.masterKeyHex != nil || FileManager.default.fileExists(atPath: keyFile.path) else {
            throw ValidationError("no master key: set TRAINGATE_MASTER_KEY (or security.master_key) to the key the server uses")
        }
        let key = try MasterKeyFile.load(configuredHex: configuration.masterKeyHex, dataDirectory: directory, logger: Logger(label: "backup"))
        do {
            let report = try await DataBackup.backup(
                from: directory, to: URL(fileURLWithPath: to), masterKey: key, includeMasterKey: includeMasterKey)
            let head = report.head.map { "head seq \($0.seq) hash \($0.hash)" } ?? "empty log"
            print("backup in \(to): \(report.entries) audit entries verified, \(report.anchorsChecked) anchors checked, \(head)")
            print(
                report.masterKeyIncluded
                    ? "the master key is in the backup: keep it as safe as the key itself"
                    : "the master key is not in the backup: keep the key with fingerprint \(report.masterKeyFingerprint) apart from it")
        } catch let failure as DataBackup.Failure {
            throw ValidationError(failure.description)
        }
    }
}
