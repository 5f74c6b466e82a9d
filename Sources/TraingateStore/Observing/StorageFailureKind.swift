import Foundation
import GRDB

/// What kind of storage failure an error is, by SQLite's primary result code: few enough
/// values to label a metric with, and each one a different fix for the operator.
public enum StorageFailureKind: String, CaseIterable, Sendable {
    /// The disk or the file system's quota is full (`SQLITE_FULL`).
    case diskFull = "disk_full"
    /// The file or its file system became read-only (`SQLITE_READONLY`, `SQLITE_PERM`, `SQLITE_CANTOPEN`).
    case readOnly = "read_only"
    /// The operating system reported an I/O error (`SQLITE_IOERR`).
    case io
    /// The file is not a sound database (`SQLITE_CORRUPT`, `SQLITE_NOTADB`).
    case corrupt
    /// Another connection held a lock too long (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    case busy
    /// Anything else (a constraint, a bug).
    case other

    public init(_ error: any Error) {
        if let store = error as? StoreError {
            self = store.failureKind ?? .other
            return
        }
        if let posix = error as? POSIXError {
            switch posix.code {
            case .ENOSPC, .EDQUOT: self = .diskFull
            case .EROFS, .EACCES, .EPERM: self = .readOnly
            default: self = .io
            }
            return
        }
        guard let database = error as? DatabaseError else {
            self = .other
            return
        }
        switch database.resultCode.primaryResultCode {
        case .SQLITE_FULL: self = .diskFull
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN: self = .readOnly
        case .SQLITE_IOERR: self = .io
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .corrupt
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy
        default: self = .other
        }
    }
}
