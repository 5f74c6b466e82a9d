import TraingatePostgres
import TraingateStore

/// The store an app runs on, for what only one backend has (tests look inside it; the bench's
/// floor and backups need SQLite's file).
public enum StoreHandle: Sendable {
    case sqlite(AppDatabase)
    case postgres(PostgresStore)

    /// Where it is, for the log (a PostgreSQL URL without its password).
    var location: String {
        switch self {
        case .sqlite(let database): database.path
        case .postgres(let store): store.location.description
        }
    }
}
