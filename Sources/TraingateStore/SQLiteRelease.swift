import GRDB

/// The SQLite library the process runs on, and whether it has the fix for the WAL-reset bug
/// (https://sqlite.org/wal.html#walresetbug): 3.51.3 and later, and the backports 3.50.7+ and
/// 3.44.6+. traingate's checkpointer avoids the racing pattern itself (`CheckpointGate`); the
/// start still says when the library is exposed, since other writers of the file are not gated.
public struct SQLiteRelease: Sendable, Equatable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        (major, minor, patch) = (parts[0], parts[1], parts.count > 2 ? parts[2] : 0)
    }

    /// The library this process links.
    public static func linked(in database: AppDatabase) throws -> SQLiteRelease? {
        try database.writer.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }.flatMap(SQLiteRelease.init)
    }

    public var hasWALResetFix: Bool {
        guard major == 3 else { return major > 3 }
        switch minor {
        case 52...: return true
        case 51: return patch >= 3
        case 50: return patch >= 7
        case 44: return patch >= 6
        default: return false
        }
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}
