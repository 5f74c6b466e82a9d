import Crypto
import Foundation
import StrictDocuments

/// The text of an API key: `tg_` (says what it is, so a secret scanner and a person both know),
/// 16 hex digits of key id (8 random bytes, the public part that finds the stored row), `_`, and
/// 64 hex digits of secret (32 random bytes: 256 bits). Only its SHA-256 is stored.
public struct APIKeyText: Sendable {
    public static let prefix = "tg_"
    public let keyID: String
    public let text: String

    /// A new random key.
    public static func generate() -> APIKeyText {
        let keyID = Hex.encode(SymmetricKey(size: SymmetricKeySize(bitCount: 64)).withUnsafeBytes { Array($0) })
        let secret = Hex.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        return APIKeyText(keyID: keyID, text: prefix + keyID + "_" + secret)
    }

    /// The key a client presented, if it has the shape of one (nothing is looked up here).
    public init?(presented text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == Self.prefix.utf8.count + 16 + 1 + 64, text.hasPrefix(Self.prefix),
            utf8[Self.prefix.utf8.count + 16] == UInt8(ascii: "_"),
            utf8.dropFirst(Self.prefix.utf8.count).allSatisfy({ Self.isKeyCharacter($0) })
        else { return nil }
        self.init(keyID: String(decoding: utf8[Self.prefix.utf8.count..<Self.prefix.utf8.count + 16], as: UTF8.self), text: text)
    }

    private init(keyID: String, text: String) {
        self.keyID = keyID
        self.text = text
    }

    /// What is stored instead of the key.
    public var digest: Data { Data(SHA256.hash(data: Data(text.utf8))) }

    /// Whether this text is the key whose digest is `stored`, compared in constant time
    /// (swift-crypto's digest comparison), so the time taken says nothing about how much matched.
    public func matches(digest stored: Data) -> Bool {
        SHA256.hash(data: Data(text.utf8)) == stored
    }

    private static func isKeyCharacter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || byte == UInt8(ascii: "_")
    }
}
