import ArgumentParser
import Crypto
import Foundation
import Logging
import TraingateApp
import TraingateStore

/// `traingate keys rotate-master`: a new master key. Every subject key is re-wrapped under it
/// and the pseudonym key sealed under it, in one transaction (`MasterKeyRotation`); afterwards
/// the old key opens nothing in the database. The server must be stopped (the data directory's
/// lock says so).
///
/// With the key in a file, the new key is written to `master.key.next` first, then the
/// database is rotated, then the file is renamed over `master.key`: a crash anywhere leaves a
/// state this command finishes when run again. With the key configured (`security.master_key`,
/// `TRAINGATE_MASTER_KEY`), the new key is printed once on stdout for the secret store.
struct RotateMasterKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-master",
        abstract: "Replace the master key: re-wrap every subject key under a new one. Stop the server first (docs/security.md).")

    @Option(help: "Data directory of the service (default ./data, or the config file's).") var dataDir: String?
    @Option(help: "YAML config file, for a configured master key and data directory.") var config: String?

    func run() async throws {
        let configuration = try CommandConfigurationLoader.loadForSQLite(file: config, dataDir: dataDir, command: "keys rotate-master")
        let directory = URL(fileURLWithPath: configuration.dataDirectory)
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: directory)
        } catch let held as DataDirectoryLock.Held {
            throw ValidationError(held.description)
        }
        defer { withExtendedLifetime(lock) {} }
        let database = try AppDatabase.open(directory: directory)
        let next = MasterKeyFile.nextURL(in: directory)

        if let configured = configuration.masterKeyHex {
            let old = try MasterKeyFile.load(configuredHex: configured, dataDirectory: directory, logger: Logger(label: "rotate"))
            let new = SymmetricKey(size: .bits256)
            let count = try MasterKeyRotation.rotate(in: database, from: old, to: new, at: Date())
            report("\(count) subject keys re-wrapped. The old master key opens nothing in this database now.")
            report("Put this key in security.master_key (or TRAINGATE_MASTER_KEY) before starting the server; it is not stored anywhere:")
            print(MasterKeyFile.hex(new))
            return
        }

        let current = MasterKeyFile.url(in: directory)
        let old = try MasterKeyFile.read(current)
        let new: SymmetricKey
        if FileManager.default.fileExists(atPath: next.path) {
            // An earlier run stopped part way: finish it if the database already uses the new key.
            let pending = try MasterKeyFile.read(next)
            if MasterKeyRotation.isSealed(under: pending, in: database) {
                try install(next, over: current)
                report("finished an interrupted rotation; \(current.path) holds the new key.")
                return
            }
            try FileManager.default.removeItem(at: next)
        }
        new = SymmetricKey(size: .bits256)
        try MasterKeyFile.write(new, to: next)
        let count = try MasterKeyRotation.rotate(in: database, from: old, to: new, at: Date())
        try install(next, over: current)
        report("\(count) subject keys re-wrapped; \(current.path) holds the new master key. Back it up apart from the data;")
        report("backups of the data taken before now still open with the old key: let them expire (docs/security.md).")
    }

    /// Renames the new key file over the old one and syncs the directory, so the rename survives a crash.
    private func install(_ next: URL, over current: URL) throws {
        guard rename(next.path, current.path) == 0 else { throw ValidationError("cannot rename \(next.path): errno \(errno)") }
        let directory = open(current.deletingLastPathComponent().path, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    private func report(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
