import PostgresNIO

/// Policy versions stored once and named by id (`known_policy_version`), as in SQLite.
enum PostgresPolicyVersions {
    /// The ids of `versions`, adding those not yet known. Concurrent instances adding the same
    /// version meet at its unique key: one inserts, the other reads the committed row.
    static func ids(of versions: Set<String>, on connection: PostgresConnection, logger: Logger) async throws -> [String: Int64] {
        guard !versions.isEmpty else { return [:] }
        let list = Array(versions)
        try await connection.query(
            "INSERT INTO known_policy_version (version) SELECT unnest(\(list)::text[]) ON CONFLICT (version) DO NOTHING", logger: logger)
        var ids: [String: Int64] = [:]
        let rows = try await connection.query(
            "SELECT version, id FROM known_policy_version WHERE version = ANY(\(list))", logger: logger)
        for try await (version, id) in rows.decode((String, Int64).self) { ids[version] = id }
        return ids
    }
}
