import PostgresNIO

/// What went wrong with PostgreSQL, in words an operator can act on. postgres-nio's own
/// description of an error is a fixed sentence (it may not know whether the query holds
/// secrets); this keeps the server's message and SQLSTATE, or the client's error code, and
/// never the query or its values.
struct PostgresFailure: Error, CustomStringConvertible {
    let description: String
    /// Whether the server reported it (rather than the client or the connection).
    var fromServer = false

    /// `error` described when it is postgres-nio's, else unchanged.
    static func describing(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        if let server = error.serverInfo {
            let state = server[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return PostgresFailure(description: "PostgreSQL: \(server[.message] ?? "error")\(state)", fromServer: true)
        }
        return PostgresFailure(description: "PostgreSQL client: \(error.code)" + (error.underlying.map { ": \($0)" } ?? ""))
    }

    /// Whether PostgreSQL refused a statement (a constraint, a trigger, a type), as against the
    /// connection or the server failing: the jobs of a refused group are worth running one by one.
    static func isRefusal(_ error: any Error) -> Bool {
        (error as? PostgresFailure)?.fromServer ?? ((error as? PSQLError)?.serverInfo != nil)
    }
}
