import PostgresNIO
import TraingateStore

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

    /// Whether a group's failure came from one of its jobs (PostgreSQL refused a statement, or
    /// the job's own code threw), as against the transaction failing to begin or commit or the
    /// connection failing: only then are its jobs worth running one by one.
    static func isJobFailure(_ error: any Error) -> Bool {
        if let failure = error as? PostgresFailure { return failure.fromServer }
        if let error = error as? PSQLError { return error.serverInfo != nil }
        if let error = error as? StoreError { return error.code != .writeFailed && error.code != .unavailable }
        return !(error is CancellationError)
    }
}
