import PostgresNIO

/// Texts that many rows repeat, stored once and named by id, as in SQLite (`InternedText`):
/// policy versions (`known_policy_version`) and reason lists (`reason_list`).
enum PostgresInternedText: String {
    case policyVersions = "known_policy_version"
    case reasonLists = "reason_list"

    private var column: String { self == .policyVersions ? "version" : "reasons" }

    /// The ids of `texts`, adding those not yet stored; texts `committed` knows cost no round
    /// trip. Writers hold the chain head's lock when they call this, so instances adding the
    /// same text never wait on each other's insert, and a text this call did not insert was
    /// committed before: it is remembered at once (one it inserted is found committed next time).
    func ids(
        of texts: Set<String>, committed: PostgresCommittedTexts, on connection: PostgresConnection, logger: Logger
    ) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for text in texts { ids[text] = committed.id(of: text, in: self) }
        let unknown = texts.filter { ids[$0] == nil }
        guard !unknown.isEmpty else { return ids }
        var binds = PostgresBindings()
        binds.append(Array(unknown))
        var inserted = Set<String>()
        for try await (text, id) in try await connection.query(
            PostgresQuery(
                unsafeSQL: "INSERT INTO \(rawValue) (\(column)) SELECT unnest($1::text[]) ON CONFLICT (\(column)) DO NOTHING RETURNING \(column), id",
                binds: binds), logger: logger
        ).decode((String, Int64).self) {
            ids[text] = id
            inserted.insert(text)
        }
        var existing: [String: Int64] = [:]
        if inserted.count < unknown.count {
            for try await (text, id) in try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT \(column), id FROM \(rawValue) WHERE \(column) = ANY($1::text[])", binds: binds), logger: logger
            ).decode((String, Int64).self) where !inserted.contains(text) {
                existing[text] = id
            }
        }
        committed.remember(existing, in: self)
        return ids.merging(existing) { first, _ in first }
    }
}
