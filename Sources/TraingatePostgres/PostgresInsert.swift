import PostgresNIO

/// A multi-row `INSERT`: one statement (one round trip) for many rows, in chunks that keep
/// within PostgreSQL's 65,535 parameters per statement and a bounded message size.
struct PostgresInsert<Row>: Sendable {
    /// `INSERT INTO table (columns) VALUES`, and what follows the rows (`ON CONFLICT ...`).
    let table: String
    let columns: [String]
    var suffix = ""
    /// Rows per statement.
    var chunk = 1000
    /// Appends one row's values, in `columns`' order.
    let bind: @Sendable (Row, inout PostgresBindings) throws -> Void

    func run(_ rows: [Row], on connection: PostgresConnection, logger: Logger) async throws {
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + chunk, rows.endIndex)
            var bindings = PostgresBindings(capacity: (end - start) * columns.count)
            for row in rows[start..<end] { try bind(row, &bindings) }
            try await connection.query(PostgresQuery(unsafeSQL: sql(rows: end - start), binds: bindings), logger: logger)
            start = end
        }
    }

    /// The statement for `rows` rows whose parameters are numbered from `first` on.
    func sql(rows: Int, firstParameter first: Int = 1) -> String {
        let width = columns.count
        let values = (0..<rows).map { row in
            "(" + (0..<width).map { "$\(first + row * width + $0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(values.joined(separator: ", ")) \(suffix)"
    }
}
