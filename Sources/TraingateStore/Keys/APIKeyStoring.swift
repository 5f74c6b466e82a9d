import Foundation
import StrictDocuments

/// API keys: created and revoked with an audit entry in the same transaction, read by the
/// server's `KeyCache`. SQLite's `APIKeyStore`, or PostgreSQL's `PostgresAPIKeyStore`.
public protocol APIKeyStoring: Sendable {
    /// Creates a key. Returns the key's text, which exists nowhere else: print it once.
    /// - Throws: `StoreError.conflict` when the name was ever used.
    func create(name: String, role: String, expiresAt: Date?, at date: Date) async throws -> (text: String, key: APIKey, audit: AuditEntry)
    /// Revokes the key named `name`; nil when no unrevoked key has that name.
    func revoke(name: String, at date: Date) async throws -> AuditEntry?
    /// Every key ever created, oldest first, revoked ones included.
    func all() async throws -> [APIKey]
    /// Records when keys were last used.
    func recordUse(_ lastUsed: [String: Date]) async throws
}

extension APIKey {
    /// As stored, from the stored texts of its dates.
    /// - Throws: `StoreError.corruptRecord` when a date does not parse.
    package init(
        name: String, role: String, keyID: String, digest: Data, storedCreatedAt createdAt: String, storedExpiresAt expiresAt: String?,
        storedRevokedAt revokedAt: String?, storedLastUsedAt lastUsedAt: String?
    ) throws {
        func date(_ text: String?, _ column: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = Timestamp.parse(text) else { throw StoreError.corruptRecord("api key \(name) has a bad \(column)") }
            return date
        }
        guard let created = try date(createdAt, "created_at") else { throw StoreError.corruptRecord("api key without created_at") }
        self.init(
            name: name, role: role, keyID: keyID, digest: digest, createdAt: created, expiresAt: try date(expiresAt, "expires_at"),
            revokedAt: try date(revokedAt, "revoked_at"), lastUsedAt: try date(lastUsedAt, "last_used_at"))
    }

    /// A key just made from `text`: never used, not revoked.
    package init(newKeyNamed name: String, role: String, text: APIKeyText, expiresAt: Date?, createdAt: Date) {
        self.init(
            name: name, role: role, keyID: text.keyID, digest: text.digest, createdAt: createdAt, expiresAt: expiresAt, revokedAt: nil,
            lastUsedAt: nil)
    }

    /// The audit record of a key's creation.
    package static func creationRecord(name: String, role: String, expiresAt: Date?, at date: Date) -> AuditRecord {
        var details: [String: JSONValue] = ["event": .string("created"), "name": .string(name), "role": .string(role)]
        details["expires_at"] = expiresAt.map { JSONValue.string(Timestamp.format($0)) } ?? JSONValue.null
        return AuditRecord(kind: .apiKey, at: Timestamp.format(date), details: .object(details))
    }

    /// The audit record of a key's revocation.
    package static func revocationRecord(name: String, at date: Date) -> AuditRecord {
        AuditRecord(kind: .apiKey, at: Timestamp.format(date), details: .object(["event": .string("revoked"), "name": .string(name)]))
    }

    /// Why a name cannot be given again.
    package static func nameTaken(_ name: String) -> StoreError {
        StoreError.conflict("a key named \(name) exists or existed; names are never reused, so the audit log stays unambiguous")
    }
}
