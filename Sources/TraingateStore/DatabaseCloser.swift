import ServiceLifecycle

/// Closes the database last, after the HTTP server drained and the writer committed what it had.
public struct DatabaseCloser: Service {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try database.close()
    }
}
