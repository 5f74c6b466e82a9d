import Crypto
import Foundation
import StrictDocuments
import TraingateStore

/// `traingate backup` and `traingate restore`: a consistent copy of a data directory made while
/// the server runs, verified before it is called done, and put back only into a directory no
/// server is using (docs/operations.md, "Backup and restore").
///
/// A backup holds the database and the audit anchors, and a manifest (`backup.json`) with the
/// chain head it verified and the fingerprint of the master key that opens it. It holds the
/// master key itself only when asked: a backup kept together with its key can read, for as long
/// as it exists, everything the database held when it was made, including the sealed facts of
/// subjects erased later. Crypto-shredding holds only where such backups expire.
public enum DataBackup {
    public struct Report: Sendable {
        public let entries: Int
        public let head: (seq: Int64, hash: String)?
        public let anchorsChecked: Int
        public let masterKeyIncluded: Bool
        public let masterKeyFingerprint: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let manifestName = "backup.json"

    /// Copies the data directory at `source` into `destination` (a new or empty directory):
    /// the anchors first (so none names an entry the copy lacks), then the database, then
    /// verifies the copy's chain against them.
    public static func backup(from source: URL, to destination: URL, masterKey: SymmetricKey, includeMasterKey: Bool) async throws -> Report {
        try requireEmpty(destination)
        let database = try AppDatabase.openReadOnly(directory: source)
        defer { try? database.close() }
        // The manifest names the key that opens the copy: a wrong key is refused, not recorded.
        guard try MasterKeyRotation.opens(database, master: masterKey) else {
            throw Failure(description: "the master key given does not open \(source.path); give the one the server uses")
        }
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let anchors = source.appendingPathComponent(AuditAnchorFile.fileName)
        if FileManager.default.fileExists(atPath: anchors.path) {
            try FileManager.default.copyItem(at: anchors, to: destination.appendingPathComponent(AuditAnchorFile.fileName))
        }
        try DatabaseSnapshot.copy(database, to: destination.appendingPathComponent(AppDatabase.fileName))
        let verification = try await verify(destination)
        if includeMasterKey { try MasterKeyFile.write(masterKey, to: MasterKeyFile.url(in: destination)) }
        let report = Report(
            entries: verification.entries, head: verification.head, anchorsChecked: verification.anchorsChecked,
            masterKeyIncluded: includeMasterKey, masterKeyFingerprint: fingerprint(masterKey))
        try writeManifest(report, in: destination)
        return report
    }

    /// Puts the backup at `source` into `destination`, which no server may be using (its lock
    /// is taken for the whole restore) and which must hold no database unless `replace`. The
    /// backup's chain is verified first, and the restored copy again.
    /// - Parameter masterKey: the key the restored directory will be served with, checked
    ///   against the backup's fingerprint; nil to take the backup's own copy of the key.
    public static func restore(from source: URL, to destination: URL, masterKey: SymmetricKey?, replace: Bool) async throws -> Report {
        let manifest = try readManifest(in: source)
        _ = try await verify(source)
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: destination)
        } catch let held as DataDirectoryLock.Held {
            throw Failure(description: "\(held.description); a live data directory is never overwritten")
        }
        defer { withExtendedLifetime(lock) {} }
        let target = destination.appendingPathComponent(AppDatabase.fileName)
        if FileManager.default.fileExists(atPath: target.path), !replace {
            throw Failure(description: "\(destination.path) already holds a database; restore into an empty directory, or pass --replace")
        }
        let backupKeyURL = MasterKeyFile.url(in: source)
        let backupKey = FileManager.default.fileExists(atPath: backupKeyURL.path) ? try MasterKeyFile.read(backupKeyURL) : nil
        guard let key = masterKey ?? backupKey else {
            throw Failure(
                description:
                    "the backup holds no master key: give the one with fingerprint \(manifest.fingerprint) (security.master_key, TRAINGATE_MASTER_KEY or keys/master.key in the data directory)"
            )
        }
        guard fingerprint(key) == manifest.fingerprint else {
            throw Failure(description: "the master key (fingerprint \(fingerprint(key))) is not the one this backup needs (\(manifest.fingerprint))")
        }
        // The copy is made beside the old database first: if it fails, the old one is intact.
        let incoming = destination.appendingPathComponent(AppDatabase.fileName + ".restoring")
        try? FileManager.default.removeItem(at: incoming)
        let backup = try AppDatabase.openReadOnly(directory: source)
        defer { try? backup.close() }
        try DatabaseSnapshot.copy(backup, to: incoming)
        // The old log and index go with the old database, or SQLite would replay them onto the
        // restored file; then the copy takes its name.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target.path + suffix) }
        guard rename(incoming.path, target.path) == 0 else {
            throw Failure(description: "cannot move the restored database into place: errno \(errno)")
        }
        let anchors = destination.appendingPathComponent(AuditAnchorFile.fileName)
        try? FileManager.default.removeItem(at: anchors)
        let backupAnchors = source.appendingPathComponent(AuditAnchorFile.fileName)
        if FileManager.default.fileExists(atPath: backupAnchors.path) { try FileManager.default.copyItem(at: backupAnchors, to: anchors) }
        if masterKey == nil, let backupKey, !FileManager.default.fileExists(atPath: MasterKeyFile.url(in: destination).path) {
            try MasterKeyFile.write(backupKey, to: MasterKeyFile.url(in: destination))
        }
        let verification = try await verify(destination)
        return Report(
            entries: verification.entries, head: verification.head, anchorsChecked: verification.anchorsChecked,
            masterKeyIncluded: backupKey != nil, masterKeyFingerprint: manifest.fingerprint)
    }

    /// A key's fingerprint: enough to tell keys apart, nothing to recover one from.
    public static func fingerprint(_ key: SymmetricKey) -> String {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("traingate master key fingerprint v1".utf8), outputByteCount: 32)
        return String(derived.withUnsafeBytes { Hex.encode($0) }.prefix(16))
    }

    private static func verify(_ directory: URL) async throws -> AuditVerification {
        let database = try AppDatabase.openReadOnly(directory: directory)
        let verification = try await AuditStore(database: database).verify()
        try database.close()
        // A read-only connection cannot remove the empty log and index it opened; nothing else
        // uses this copy, so they go, and the directory holds the database file alone.
        let log = database.path + "-wal"
        if ((try? FileManager.default.attributesOfItem(atPath: log))?[.size] as? Int) == 0 {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        }
        guard verification.ok else {
            throw Failure(
                description: "the copy in \(directory.path) does not verify at seq \(verification.firstBadSeq ?? 0): \(verification.problem ?? "")")
        }
        return verification
    }

    private static func requireEmpty(_ directory: URL) throws {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard contents.isEmpty else { throw Failure(description: "\(directory.path) is not empty; back up into a new directory") }
    }

    private static func writeManifest(_ report: Report, in directory: URL) throws {
        let manifest: JSONValue = .object([
            "format": .integer(1), "created_at": .string(Timestamp.format(Date())), "entries": .integer(report.entries),
            "head": report.head.map { .object(["seq": .integer(Int($0.seq)), "hash": .string($0.hash)]) } ?? .null,
            "master_key_included": .bool(report.masterKeyIncluded), "master_key_fingerprint": .string(report.masterKeyFingerprint),
        ])
        try Data(CanonicalJSON.encode(manifest)).write(to: directory.appendingPathComponent(manifestName))
    }

    private static func readManifest(in directory: URL) throws -> (fingerprint: String, head: JSONValue?) {
        let url = directory.appendingPathComponent(manifestName)
        guard let data = try? Data(contentsOf: url), case .object(let fields)? = try? JSONValue.parse(Array(data)),
            case .string(let fingerprint)? = fields["master_key_fingerprint"]
        else { throw Failure(description: "\(directory.path) is not a traingate backup (no readable \(manifestName))") }
        return (fingerprint, fields["head"])
    }
}
