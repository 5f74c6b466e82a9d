import PostgresNIO

/// Texts that many rows repeat, stored once and named by id, as in SQLite (`InternedText`):
/// policy versions (`known_policy_version`) and reason lists (`reason_list`).
enum PostgresInternedText: String {
    case policyVersions = "known_policy_version"
    case reasonLists = "reason_list"

    private var column: String { self == .policyVersions ? "version" : "reasons" }

    /// The ids of `texts`, adding those not yet stored. Writers hold the chain head's lock when
    /// they call this, so instances adding the same text never wait on each other's insert.
    func ids(of texts: Set<String>, on connection: PostgresConnection, logger: Logger) async throws -> [String: Int64] {
        guard !texts.isEmpty else { return [:] }
        let list = Array(texts)
        var binds = PostgresBindings()
        binds.append(list)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: "INSERT INTO \(rawValue) (\(column)) SELECT unnest($1::text[]) ON CONFLICT (\(column)) DO NOTHING", binds: binds),
            logger: logger)
        var ids: [String: Int64] = [:]
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(column), id FROM \(rawValue) WHERE \(column) = ANY($1::text[])", binds: binds), logger: logger)
        for try await (text, id) in rows.decode((String, Int64).self) { ids[text] = id }
        return ids
    }
}
