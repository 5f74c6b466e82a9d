import Foundation

/// An API key as stored: its name, role and dates, and the SHA-256 of the key, never the key
/// itself (a copy of the database does not open the front door).
public struct APIKey: Sendable, Hashable {
    /// Unique forever: decisions and audit entries name the key that made them, so a name is
    /// never given to a second key, even after the first is revoked.
    public let name: String
    /// One of `APIKey.roles`; the app maps it to what the key may call.
    public let role: String
    /// The public part of the key (`tg_<key_id>_<secret>`): finds the row without the secret.
    public let keyID: String
    /// SHA-256 of the whole key text.
    public let digest: Data
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?
    public let lastUsedAt: Date?

    /// The roles a key may have (docs/security.md).
    public static let roles = ["submitter", "auditor", "trainer", "dpo", "admin"]

    /// Whether the key opens the door at `date`: not revoked, not expired.
    public func isUsable(at date: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { date < $0 } ?? true)
    }
}
