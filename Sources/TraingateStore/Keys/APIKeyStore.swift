import Foundation
import GRDB
import StrictDocuments

/// API keys in the database: created and revoked by `traingate keys` (from the CLI, while the
/// server runs: SQLite serialises the writers, and the server re-reads the keys every half
/// second), read by the server's `KeyCache`. Each creation and revocation appends an audit entry
/// in the same transaction.
public struct APIKeyStore: Sendable {
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
                throw StoreError.conflict("a key named \(name) exists or existed; names are never reused, so the audit log stays unambiguous")
            }
            let key = APIKey(
                name: name, role: role, keyID: text.keyID, digest: text.digest, createdAt: date, expiresAt: expiresAt, revokedAt: nil,
                lastUsedAt: nil)
            try db.execute(
                sql: "INSERT INTO api_key (name, role, key_id, digest, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [name, role, key.keyID, key.digest, Timestamp.format(date), expiresAt.map(Timestamp.format)])
            var details: [String: JSONValue] = ["event": .string("created"), "name": .string(name), "role": .string(role)]
            details["expires_at"] = expiresAt.map { JSONValue.string(Timestamp.format($0)) } ?? JSONValue.null
            let audit = try AuditLog.append(AuditRecord(kind: .apiKey, at: Timestamp.format(date), details: .object(details)), in: db)
            return (text.text, key, audit)
        }
    }

    /// Revokes the key named `name`; nil when no unrevoked key has that name.
    public func revoke(name: String, at date: Date) async throws -> AuditEntry? {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE api_key SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [Timestamp.format(date), name])
            guard db.changesCount == 1 else { return nil }
            return try AuditLog.append(
                AuditRecord(
                    kind: .apiKey, at: Timestamp.format(date), details: .object(["event": .string("revoked"), "name": .string(name)])),
                in: db)
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
            func date(_ column: String) throws -> Date? {
                guard let text: String = row[column] else { return nil }
                guard let date = Timestamp.parse(text) else {
                    throw StoreError.corruptRecord("api key \((row["name"] as String?) ?? "?") has a bad \(column)")
                }
                return date
            }
            guard let created = try date("created_at") else { throw StoreError.corruptRecord("api key without created_at") }
            return APIKey(
                name: row["name"], role: row["role"], keyID: row["key_id"], digest: row["digest"], createdAt: created,
                expiresAt: try date("expires_at"), revokedAt: try date("revoked_at"), lastUsedAt: try date("last_used_at"))
        }
    }
}
