import GRDB
import PostgresNIO
import PostgresTesting
import StrictDocuments
import TraingateApp
import TraingateStore

/// Reads of the store under the app, for tests that run on both backends: the tables have the
/// same names and meaning on both, so one query looks at either.
extension Traingate {
    /// The first column of each row `sql` selects, as text (numbers in decimal, NULL as "").
    public func texts(_ sql: String) async throws -> [String] {
        if let database = sqliteDatabase {
            return try await database.writer.read { db in
                try DatabaseValue.fetchAll(db, sql: sql).map { value in
                    switch value.storage {
                    case .null: ""
                    case .int64(let number): String(number)
                    case .double(let number): String(number)
                    case .string(let text): text
                    case .blob(let bytes): Hex.encode(bytes)
                    }
                }
            }
        }
        guard let store = postgresStore else { return [] }
        let connection = try await PostgresConnection.connect(
            configuration: try store.location.connectionConfiguration(), id: 1, logger: PostgresTestDatabase.logger)
        do {
            var texts: [String] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresTestDatabase.logger) {
                texts.append(Self.text(row.first!))
            }
            try await connection.close()
            return texts
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func text(_ cell: PostgresCell) -> String {
        // NULL decodes as none of them.
        // Numbers first: postgres-nio would read their binary form as text.
        switch cell.dataType {
        case .int8: return (try? cell.decode(Int64.self)).map(String.init) ?? ""
        case .int4, .int2: return (try? cell.decode(Int32.self)).map(String.init) ?? ""
        case .float8: return (try? cell.decode(Double.self)).map { String($0) } ?? ""
        default: return (try? cell.decode(String.self)) ?? ""
        }
    }

    /// The number `sql` selects (a `count(*)`).
    public func count(_ sql: String) async throws -> Int {
        Int(try await texts(sql).first ?? "0") ?? 0
    }
}
