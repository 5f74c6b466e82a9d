import Foundation
import PostgresTesting
import TraingatePostgres
import TraingateStore

/// API keys made the way `traingate keys create` makes them, in a data directory, before the
/// app under test opens it.
public enum TestKeys {
    /// One key per role, named after it (`submitter`, `auditor`, …). Returns name → key text.
    public static func onePerRole(in directory: URL) async throws -> [String: String] {
        try await create(APIKey.roles.map { ($0, $0) }, in: directory)
    }

    /// Keys by (name, role); returns name → key text.
    public static func create(_ keys: [(name: String, role: String)], in directory: URL, expiresAt: Date? = nil) async throws -> [String: String] {
        let database = try AppDatabase.open(directory: directory)
        defer { try? database.close() }
        return try await create(keys, in: APIKeyStore(database: database), expiresAt: expiresAt)
    }

    /// One key per role in the PostgreSQL store at `url` (migrated first, as the app would).
    public static func onePerRole(inPostgres url: String) async throws -> [String: String] {
        try await PostgresTestDatabase.running(url: url) { store in
            try await create(APIKey.roles.map { ($0, $0) }, in: PostgresAPIKeyStore(store: store))
        }
    }

    private static func create(
        _ keys: [(name: String, role: String)], in store: any APIKeyStoring, expiresAt: Date? = nil
    ) async throws -> [String: String] {
        var texts: [String: String] = [:]
        for key in keys {
            texts[key.name] = try await store.create(name: key.name, role: key.role, expiresAt: expiresAt, at: Date()).text
        }
        return texts
    }
}
