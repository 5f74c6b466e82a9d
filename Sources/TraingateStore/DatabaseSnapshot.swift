import Foundation
import GRDB

/// A consistent copy of a live database, made with SQLite's online backup API inside one read
/// transaction: writers go on meanwhile (WAL), and the copy is the database as of the moment
/// that transaction began. The copy is written beside its final name and renamed into place, so
/// a copy that exists is complete.
public enum DatabaseSnapshot {
    /// Copies `source` to `destination` (a file that must not exist yet).
    public static func copy(_ source: AppDatabase, to destination: URL) throws {
        let partial = destination.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: partial)
        do {
            let target = try DatabaseQueue(path: partial.path)
            try source.writer.backup(to: target)
            // The service and the read-only tools open databases as pools, which need WAL.
            try target.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try target.close()
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        try FileManager.default.moveItem(at: partial, to: destination)
    }
}
