import Foundation
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// API keys on PostgreSQL (SQLite's is `APIKeyStore`). A creation or revocation and its audit
/// entry commit together, with the chain head locked first: two instances creating the same name
/// at once create it once.
public struct PostgresAPIKeyStore: APIKeyStoring {
    private let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func create(name: String, role: String, expiresAt: Date?, at date: Date) async throws -> (
        text: String, key: APIKey, audit: AuditEntry
    ) {
        precondition(APIKey.roles.contains(role), "unknown role \(role)")
        let text = APIKeyText.generate()
        let key = APIKey(newKeyNamed: name, role: role, text: text, expiresAt: expiresAt, createdAt: date)
        let audit = try await store.transaction { [logger = store.logger] connection in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            var lookup = PostgresBindings()
            lookup.append(name)
            let taken = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM api_key WHERE name = $1)", binds: lookup), logger: logger
            ).collect()[0].decode(Bool.self)
            guard !taken else { throw APIKey.nameTaken(name) }
            var row = PostgresBindings()
            row.append(name)
            row.append(role)
            row.append(key.keyID)
            row.append(ByteBuffer(bytes: key.digest))
            row.append(Timestamp.format(date))
            row.append(expiresAt.map(Timestamp.format))
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO api_key (name, role, key_id, digest, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    binds: row), logger: logger)
            return try await PostgresAuditChain.append(
                texts: store.committedTexts,
                [APIKey.creationRecord(name: name, role: role, expiresAt: expiresAt, at: date)], on: connection, logger: logger)[0]
        }
        return (text.text, key, audit)
    }

    public func revoke(name: String, at date: Date) async throws -> AuditEntry? {
        try await store.transaction { [logger = store.logger] connection in
            _ = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            var binds = PostgresBindings()
            binds.append(Timestamp.format(date))
            binds.append(name)
            let revoked = try await connection.query(
                PostgresQuery(unsafeSQL: "UPDATE api_key SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL RETURNING name", binds: binds),
                logger: logger
            ).collect()
            guard !revoked.isEmpty else { return nil }
            return try await PostgresAuditChain.append(
                texts: store.committedTexts, [APIKey.revocationRecord(name: name, at: date)], on: connection, logger: logger
            ).first
        }
    }

    public func all() async throws -> [APIKey] {
        let rows = try await store.openClient().query(
            "SELECT name, role, key_id, digest, created_at, expires_at, revoked_at, last_used_at FROM api_key ORDER BY position",
            logger: store.logger)
        var keys: [APIKey] = []
        for try await (name, role, keyID, digest, createdAt, expiresAt, revokedAt, lastUsedAt) in rows.decode(
            (String, String, String, ByteBuffer, String, String?, String?, String?).self)
        {
            keys.append(
                try APIKey(
                    name: name, role: role, keyID: keyID, digest: Data(Array(buffer: digest)), storedCreatedAt: createdAt,
                    storedExpiresAt: expiresAt, storedRevokedAt: revokedAt, storedLastUsedAt: lastUsedAt))
        }
        return keys
    }

    public func recordUse(_ lastUsed: [String: Date]) async throws {
        guard !lastUsed.isEmpty else { return }
        let uses = lastUsed.sorted { $0.key < $1.key }
        var binds = PostgresBindings()
        binds.append(uses.map(\.key))
        binds.append(uses.map { Timestamp.format($0.value) })
        try await store.transaction { [logger = store.logger] connection in
            _ = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE api_key SET last_used_at = u.at FROM unnest($1::text[], $2::text[]) AS u(name, at)
                        WHERE api_key.name = u.name
                        """, binds: binds), logger: logger)
        }
    }
}
