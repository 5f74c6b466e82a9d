/// Errors of the store, mapped to HTTP statuses only by the app.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// The database could not commit; nothing was recorded.
        case writeFailed
        /// The store is shutting down or closed and takes no more writes.
        case unavailable
        /// Too many writes are waiting; retry later.
        case overloaded
        /// No database at the given path.
        case databaseMissing
        /// A stored row does not decode: the database was changed outside traingate.
        case corruptRecord
        /// SQLite would not take a setting the store's guarantees depend on.
        case unsupportedSetting
        /// The write contradicts what is stored (a key name already used); nothing was recorded.
        case conflict
        /// A newer version of traingate migrated the database; this one will not open it.
        case newerSchema
    }

    public let code: Code
    public let description: String
    /// For a failed write, what kind of failure SQLite reported.
    public var failureKind: StorageFailureKind?

    init(code: Code, description: String, failureKind: StorageFailureKind? = nil) {
        self.code = code
        self.description = description
        self.failureKind = failureKind
    }

    package static func writeFailed(_ underlying: any Error) -> StoreError {
        StoreError(code: .writeFailed, description: "database write failed: \(underlying)", failureKind: StorageFailureKind(underlying))
    }

    package static let unavailable = StoreError(code: .unavailable, description: "the store is shutting down")

    package static let overloaded = StoreError(code: .overloaded, description: "too many writes are waiting")

    package static func corruptRecord(id: String, column: String) -> StoreError {
        StoreError(code: .corruptRecord, description: "stored admission \(id) has an unreadable \(column) column")
    }

    package static func corruptRecord(_ description: String) -> StoreError {
        StoreError(code: .corruptRecord, description: description)
    }

    package static func unsupportedSetting(_ description: String) -> StoreError {
        StoreError(code: .unsupportedSetting, description: description)
    }

    package static func conflict(_ description: String) -> StoreError {
        StoreError(code: .conflict, description: description)
    }

    package static func newerSchema(_ migrations: [String]) -> StoreError {
        StoreError(
            code: .newerSchema,
            description:
                "the database was migrated by a newer traingate (migrations \(migrations.joined(separator: ", ")) are unknown to this version); "
                + "downgrades are refused: run the newer version, or restore a backup made before the upgrade")
    }

    package static func databaseMissing(_ path: String) -> StoreError {
        StoreError(code: .databaseMissing, description: "no traingate database at \(path)")
    }
}
