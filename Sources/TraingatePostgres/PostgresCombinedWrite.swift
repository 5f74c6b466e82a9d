import PostgresNIO

/// Several writes sent as one statement, each but the last as a data-modifying `WITH` clause,
/// so that a group's writes cost one round trip instead of one each (docs/scaling.md: a group
/// holds the chain head's lock for all its round trips). PostgreSQL runs the parts on one
/// snapshot, none seeing another's rows, and checks foreign keys when the statement ends: only
/// writes that read nothing another part writes may be combined, and parts come in the order
/// their foreign keys need (a statement that would pass PostgreSQL's 65,535 parameters is sent
/// as it stands first, and the rest follows in the next).
struct PostgresCombinedWrite {
    let connection: PostgresConnection
    let logger: Logger
    private var parts: [String] = []
    private var bindings = PostgresBindings()
    private var parameters = 0
    static let maximumParameters = 65_535

    init(on connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Adds a multi-row insert of `rows` (nothing when there are none).
    mutating func insert<Row>(_ insert: PostgresInsert<Row>, _ rows: [Row]) async throws {
        let perChunk = Self.maximumParameters / insert.columns.count
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + perChunk, rows.endIndex)
            try await makeRoom(for: (end - start) * insert.columns.count)
            for row in rows[start..<end] { try insert.bind(row, &bindings) }
            parts.append(insert.sql(rows: end - start, firstParameter: parameters + 1))
            parameters += (end - start) * insert.columns.count
            start = end
        }
    }

    /// Adds a statement of `count` parameters; `sql` is given the number of the first.
    mutating func statement(
        parameters count: Int, _ sql: (_ firstParameter: Int) -> String, _ values: (inout PostgresBindings) throws -> Void
    ) async throws {
        try await makeRoom(for: count)
        parts.append(sql(parameters + 1))
        try values(&bindings)
        parameters += count
    }

    /// Sends what is gathered.
    mutating func run() async throws {
        guard let last = parts.last else { return }
        let clauses = parts.dropLast().enumerated().map { "part\($0.offset) AS (\($0.element))" }
        let sql = clauses.isEmpty ? last : "WITH " + clauses.joined(separator: ", ") + " " + last
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        parts.removeAll()
        bindings = PostgresBindings()
        parameters = 0
    }

    private mutating func makeRoom(for count: Int) async throws {
        if parameters + count > Self.maximumParameters { try await run() }
    }
}
