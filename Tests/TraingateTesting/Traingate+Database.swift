import TraingateApp
import TraingateStore

extension Traingate {
    /// The SQLite database of an app the test built on it (every `TestApp` app is).
    public var database: AppDatabase {
        guard let database = sqliteDatabase else { preconditionFailure("this test needs an app on SQLite") }
        return database
    }
}
