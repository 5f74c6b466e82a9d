import Foundation
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
        let store = APIKeyStore(database: database)
        var texts: [String: String] = [:]
        for key in keys {
            texts[key.name] = try await store.create(name: key.name, role: key.role, expiresAt: expiresAt, at: Date()).text
        }
        return texts
    }
}
