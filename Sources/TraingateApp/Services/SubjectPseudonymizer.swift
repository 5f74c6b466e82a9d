import Crypto
import Foundation
import Logging
import StrictDocuments

/// Turns (source, subject id) into `subject_ref`, a keyed pseudonym (HMAC-SHA256), so neither the
/// audit log nor the admission rows hold the subject id in clear, yet one subject's records link up.
struct SubjectPseudonymizer: Sendable {
    private let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    func reference(source: String, subjectID: String) -> String {
        // A NUL separator keeps ("a", "bc") and ("ab", "c") apart.
        let message = Array(source.utf8) + [0] + Array(subjectID.utf8)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    /// The configured key, or the key file in the data directory, created (mode 0600) on first start.
    static func loadKey(configuredHex: String?, dataDirectory: URL, logger: Logger) throws -> SymmetricKey {
        if let configuredHex, let bytes = Hex.decode(configuredHex), bytes.count == 32 {
            return SymmetricKey(data: bytes)
        }
        let directory = dataDirectory.appendingPathComponent("keys")
        let file = directory.appendingPathComponent("master.key")
        if let text = try? String(contentsOf: file, encoding: .utf8),
            let bytes = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        {
            return SymmetricKey(data: bytes)
        }
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Hex.encode($0) } + "\n"
        guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown) }
        logger.warning(
            "no master key configured; generated one",
            metadata: ["key.file": "\(file.path)", "hint": "back it up, or set TRAINGATE_MASTER_KEY"])
        return key
    }
}
