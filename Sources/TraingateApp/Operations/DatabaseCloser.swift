import ServiceLifecycle
import TraingateStore

/// Closes the database last, after the HTTP server drained and the writer committed what it had.
struct DatabaseCloser: Service {
    let database: AppDatabase

    func run() async throws {
        try? await gracefulShutdown()
        try database.close()
    }
}
