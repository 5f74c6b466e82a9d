import Crypto
import Foundation
import Logging
import StrictDocuments

#if canImport(Glibc)
    import Glibc
#endif

/// The master key: configured (`security.master_key`), or `keys/master.key` in the data
/// directory (64 hex characters, mode 0600), created on first start.
///
/// An existing key file must parse and must not be readable by group or others: replacing it
/// silently would leave every subject key unopenable. `master.key.next` is a rotation's new key
/// until the rotation has committed (`traingate keys rotate-master`); while it exists the
/// server refuses to start, since which of the two keys the database needs is not yet settled.
public enum MasterKeyFile {
    public static func url(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("keys").appendingPathComponent("master.key")
    }

    public static func nextURL(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("keys").appendingPathComponent("master.key.next")
    }

    /// The configured key, or the key file, created (and logged) when there is none.
    /// - Throws: `KeyFileError` when the key file is unreadable, malformed or too open, or a
    ///   rotation was interrupted.
    public static func load(configuredHex: String?, dataDirectory: URL, logger: Logger) throws -> SymmetricKey {
        if FileManager.default.fileExists(atPath: nextURL(in: dataDirectory).path) {
            throw KeyFileError(
                message:
                    "\(nextURL(in: dataDirectory).path) exists: a master key rotation was interrupted; run traingate keys rotate-master to finish it")
        }
        if let configuredHex { return try parse(configuredHex, what: "the configured master key") }
        let file = url(in: dataDirectory)
        if FileManager.default.fileExists(atPath: file.path) { return try read(file) }
        let key = SymmetricKey(size: .bits256)
        try write(key, to: file)
        logger.warning(
            "no master key configured; generated one", metadata: ["key.file": "\(file.path)", "hint": "back it up, or set TRAINGATE_MASTER_KEY"])
        return key
    }

    /// The text of `security.master_key_file`, checked: 64 hex characters, in a file that only
    /// its owner and group may read and only its owner may write. Group read is allowed (a
    /// Kubernetes Secret volume with `fsGroup` is 0440); the file is the operator's, outside the
    /// data directory, and never written.
    static func configuredKeyText(path: String) throws -> String {
        func failure() -> ConfigurationSetting.SettingError {
            ConfigurationSetting.SettingError(message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        // The mode of the file itself (stat follows a Secret volume's symlinks), then its bytes.
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure() }
        let mode = Int(status.st_mode & 0o7777)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure() }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        guard let bytes = try? handle.readToEnd(), let text = String(bytes: bytes, encoding: .utf8) else {
            throw ConfigurationSetting.SettingError(message: "cannot read \(path) as text")
        }
        guard mode & 0o027 == 0 else {
            throw ConfigurationSetting.SettingError(
                message: "\(path) has mode \(String(mode, radix: 8)): others may read it or its group may write it; chmod 0440 or 0400 it")
        }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Hex.decode(key)?.count == 32 else {
            throw ConfigurationSetting.SettingError(message: "\(path) does not hold 64 hex characters (a 256-bit key)")
        }
        return key
    }

    /// Both `security.master_key` and `security.master_key_file` were given.
    static let twoSources = ConfigurationSetting.SettingError(
        message: "security.master_key and security.master_key_file are both set; set one of them")

    /// A key file's key; it must be 0600 (or stricter) and hold 64 hex characters.
    public static func read(_ file: URL) throws -> SymmetricKey {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw KeyFileError(message: "\(file.path) is readable by group or others (mode \(String(mode, radix: 8))); chmod 600 it")
        }
        let text = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try parse(text, what: file.path)
    }

    /// Writes `key` to a new file (never over an existing one), 0600, synced to disk.
    public static func write(_ key: SymmetricKey, to file: URL) throws {
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let text = hex(key) + "\n"
        // O_EXCL: if another process created the file meanwhile, fail rather than overwrite its key.
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw KeyFileError(message: "cannot create \(file.path): errno \(errno)") }
        defer { close(descriptor) }
        let written = text.utf8CString.withUnsafeBufferPointer { Glibc.write(descriptor, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count, fsync(descriptor) == 0 else {
            throw KeyFileError(message: "cannot write \(file.path): errno \(errno)")
        }
    }

    public static func hex(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { Hex.encode($0) }
    }

    private static func parse(_ text: String, what: String) throws -> SymmetricKey {
        guard let bytes = Hex.decode(text), bytes.count == 32 else {
            throw KeyFileError(message: "\(what) does not hold a 256-bit key as 64 hex characters; it was left untouched")
        }
        return SymmetricKey(data: bytes)
    }
}
