import Crypto
#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Logging
import StrictDocuments
import TraingateStore

/// Turns (source, subject id) into `subject_ref`, a keyed pseudonym (HMAC-SHA256), so neither the
/// audit log nor the admission rows hold the subject id in clear, yet one subject's records link up.
struct SubjectPseudonymizer: Sendable {
    private let key: PseudonymKey

    init(key: SymmetricKey) {
        self.key = PseudonymKey(key)
    }

    func reference(source: String, subjectID: String) -> String {
        key.pseudonym(source: source, subjectID: subjectID)
    }

    /// The configured key, or the key file in the data directory, created on first start.
    ///
    /// An existing key file must parse and must not be readable by group or others: replacing it
    /// silently would change every `subject_ref`, so registered objections would stop matching.
    /// - Throws: `KeyFileError` when the key file is unreadable, malformed or too open.
    static func loadKey(configuredHex: String?, dataDirectory: URL, logger: Logger) throws -> SymmetricKey {
        if let configuredHex {
            guard let bytes = Hex.decode(configuredHex), bytes.count == 32 else {
                throw KeyFileError(message: "the configured master key must be 64 hex characters")
            }
            return SymmetricKey(data: bytes)
        }
        let directory = dataDirectory.appendingPathComponent("keys")
        let file = directory.appendingPathComponent("master.key")
        if FileManager.default.fileExists(atPath: file.path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw KeyFileError(message: "\(file.path) is readable by group or others (mode \(String(mode, radix: 8))); chmod 600 it")
            }
            let text = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Hex.decode(text), bytes.count == 32 else {
                throw KeyFileError(message: "\(file.path) does not hold a 256-bit key as 64 hex characters; it was left untouched")
            }
            return SymmetricKey(data: bytes)
        }
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Hex.encode($0) } + "\n"
        // O_EXCL: if another process created the file meanwhile, fail rather than overwrite its key.
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw KeyFileError(message: "cannot create \(file.path): errno \(errno)") }
        defer { close(descriptor) }
        let written = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count, fsync(descriptor) == 0 else {
            throw KeyFileError(message: "cannot write \(file.path): errno \(errno)")
        }
        logger.warning(
            "no master key configured; generated one",
            metadata: ["key.file": "\(file.path)", "hint": "back it up, or set TRAINGATE_MASTER_KEY"])
        return key
    }
}
