import Crypto
import Foundation
import StrictDocuments

/// One data subject's own random 256-bit key. Everything the audit log says about the subject is
/// keyed or sealed under it, so destroying this key (crypto-shredding, on erasure) leaves that
/// subject's entries unreadable and unlinkable to them while the chain over them still verifies.
public struct SubjectKey: Sendable {
    let key: SymmetricKey

    public init(bytes: [UInt8]) {
        key = SymmetricKey(data: bytes)
    }

    /// A fresh key from the system's secure random generator.
    package static func random() -> SubjectKey {
        SubjectKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    package var bytes: [UInt8] { key.withUnsafeBytes { Array($0) } }

    /// The subject's pseudonym in audit entries: HMAC-SHA256 under this key (docs/audit-format.md).
    public func reference(source: String, subjectID: String) -> String {
        Self.pseudonym(source: source, subjectID: subjectID, key: key)
    }

    /// The pseudonym of `PseudonymKey` under `key`.
    public static func pseudonym(source: String, subjectID: String, key: SymmetricKey) -> String {
        PseudonymKey(key).pseudonym(source: source, subjectID: subjectID)
    }

    /// AES-256-GCM with a random 96-bit nonce: `nonce ‖ ciphertext ‖ tag`.
    public func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        try Self.seal(plaintext, using: key, nonce: AES.GCM.Nonce())
    }

    /// As `seal`, bound to `context` (authenticated, not stored): the result opens only with the
    /// same context, so sealed bytes moved to another row (another context) do not open.
    public func seal(_ plaintext: [UInt8], authenticating context: [UInt8]) throws -> [UInt8] {
        try Self.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: context)
    }

    /// An empty `context` is GCM without authenticated data: `seal` and `open` without one.
    static func seal(_ plaintext: [UInt8], using key: SymmetricKey, nonce: AES.GCM.Nonce, authenticating context: [UInt8] = []) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: context).combined else {
            throw StoreError.corruptRecord("AES-GCM produced no combined form")
        }
        return Array(combined)
    }

    /// The plaintext of `seal`; throws when the bytes were not sealed under this key or were altered.
    public func open(_ sealed: [UInt8]) throws -> [UInt8] {
        try open(sealed, authenticating: [])
    }

    /// The plaintext of `seal(_:authenticating:)` under the same context.
    public func open(_ sealed: [UInt8], authenticating context: [UInt8]) throws -> [UInt8] {
        Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: context))
    }
}
