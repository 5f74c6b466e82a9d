import TraingateApp
import TraingateStore

extension Traingate {
    /// The SQLite database of an app the test built on it.
    /// - Throws: on an app on PostgreSQL, so that a test written for SQLite fails there, naming why.
    public var database: AppDatabase {
        get throws {
            guard let database = sqliteDatabase else { throw NotOnSQLite() }
            return database
        }
    }

    struct NotOnSQLite: Error, CustomStringConvertible {
        let description = "this test reads the SQLite database, and the app runs on PostgreSQL"
    }
}
