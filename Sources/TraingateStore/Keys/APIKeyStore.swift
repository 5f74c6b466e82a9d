import Foundation
import GRDB
import StrictDocuments

/// API keys in the database: created and revoked by `traingate keys` (from the CLI, while the
/// server runs: SQLite serialises the writers, and the server re-reads the keys every half
/// second), read by the server's `KeyCache`. Each creation and revocation appends an audit entry
/// in the same transaction.
public struct APIKeyStore: APIKeyStoring {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Creates a key. Returns the key's text, which exists nowhere else: print it once.
    /// - Throws: `StoreError.conflict` when the name was ever used.
    public func create(name: String, role: String, expiresAt: Date?, at date: Date) async throws -> (
        text: String, key: APIKey, audit: AuditEntry
    ) {
        precondition(APIKey.roles.contains(role), "unknown role \(role)")
        let text = APIKeyText.generate()
        return try await database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_key WHERE name = ?)", arguments: [name]) == false else {
                throw APIKey.nameTaken(name)
            }
            let key = APIKey(newKeyNamed: name, role: role, text: text, expiresAt: expiresAt, createdAt: date)
            try db.execute(
                sql: "INSERT INTO api_key (name, role, key_id, digest, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [name, role, key.keyID, key.digest, Timestamp.format(date), expiresAt.map(Timestamp.format)])
            let audit = try AuditLog.append(APIKey.creationRecord(name: name, role: role, expiresAt: expiresAt, at: date), in: db)
            return (text.text, key, audit)
        }
    }

    /// Revokes the key named `name`; nil when no unrevoked key has that name.
    public func revoke(name: String, at date: Date) async throws -> AuditEntry? {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE api_key SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [Timestamp.format(date), name])
            guard db.changesCount == 1 else { return nil }
            return try AuditLog.append(APIKey.revocationRecord(name: name, at: date), in: db)
        }
    }

    /// Every key ever created, oldest first, revoked ones included.
    public func all() throws -> [APIKey] {
        try database.writer.read { db in try Self.fetchAll(db) }
    }

    /// Every key ever created (the server's half-second refresh).
    public func all() async throws -> [APIKey] {
        try await database.writer.read { db in try Self.fetchAll(db) }
    }

    /// Records when keys were last used (the server batches this, once a second at most).
    public func recordUse(_ lastUsed: [String: Date]) async throws {
        guard !lastUsed.isEmpty else { return }
        try await database.write { db in
            for (name, date) in lastUsed {
                try db.execute(sql: "UPDATE api_key SET last_used_at = ? WHERE name = ?", arguments: [Timestamp.format(date), name])
            }
        }
    }

    private static func fetchAll(_ db: Database) throws -> [APIKey] {
        try Row.fetchAll(
            db, sql: "SELECT name, role, key_id, digest, created_at, expires_at, revoked_at, last_used_at FROM api_key ORDER BY rowid"
        ).map { row in
            try APIKey(
                name: row["name"], role: row["role"], keyID: row["key_id"], digest: row["digest"], storedCreatedAt: row["created_at"],
                storedExpiresAt: row["expires_at"], storedRevokedAt: row["revoked_at"], storedLastUsedAt: row["last_used_at"])
        }
    }
}
