import Foundation
import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C API, for the few statements the
/// serialized writer runs for every decision. GRDB's `StatementArguments` box each value as a
/// `DatabaseValue` in an array, which cost the writer more than SQLite's own work on these
/// inserts (docs/benchmarks.md, "Admissions"); here each value goes straight to
/// `sqlite3_bind_*`, copied by SQLite (`SQLITE_TRANSIENT`), in the order of the `?`s.
struct RawStatement {
    private let statement: Statement
    private let raw: OpaquePointer
    private var index: Int32 = 0
    /// The first `sqlite3_bind_*` that failed (too big, out of memory): reported by `execute`
    /// or `step`, never left to run with that value missing.
    private var bindFailure: Int32 = SQLITE_OK

    /// Resets the statement and clears what an earlier use bound.
    init(_ statement: Statement) {
        self.statement = statement
        raw = statement.sqliteStatement
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private mutating func next() -> Int32 {
        index += 1
        return index
    }

    mutating func bind(_ value: String?) {
        let position = next()
        guard var value else { return }  // cleared bindings are NULL
        let code = value.withUTF8 { text in
            sqlite3_bind_text(
                raw, position, text.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, Int32(text.count), Self.transient)
        }
        note(code)
    }

    mutating func bind(_ value: Int64?) {
        let position = next()
        guard let value else { return }
        note(sqlite3_bind_int64(raw, position, value))
    }

    mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    /// Bytes as a BLOB (an empty one too: never NULL).
    mutating func bind<Bytes: ContiguousBytes>(bytes value: Bytes?) {
        let position = next()
        guard let value else { return }
        let code = value.withUnsafeBytes { bytes in
            sqlite3_bind_blob(raw, position, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), Self.transient)
        }
        note(code)
    }

    /// A value GRDB already holds as a `DatabaseValue` (a lookup pseudonym, decoded once).
    mutating func bind(_ value: DatabaseValue) {
        switch value.storage {
        case .null: _ = next()
        case .int64(let number): bind(number)
        case .double(let number): note(sqlite3_bind_double(raw, next(), number))
        case .string(let text): bind(text)
        case .blob(let bytes): bind(bytes: bytes)
        }
    }

    private mutating func note(_ code: Int32) {
        if code != SQLITE_OK, bindFailure == SQLITE_OK { bindFailure = code }
    }

    private func checkBindings(in db: Database) throws {
        guard bindFailure == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: bindFailure), message: "a value could not be bound", sql: statement.sql)
        }
    }

    /// Steps a query to its next row: false when there is none. Read the row's columns before
    /// the next step, and `finish` after the last.
    func step(in db: Database) throws -> Bool {
        try checkBindings(in: db)
        let code = sqlite3_step(raw)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(raw)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
        return false
    }

    /// Ends a query read before its last row.
    func finish() {
        sqlite3_reset(raw)
    }

    /// A column of the current row: its SQLite type (`SQLITE_NULL`, `SQLITE_INTEGER`, ...).
    func type(_ column: Int32) -> Int32 { sqlite3_column_type(raw, column) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }

    /// The column's text, nil when it is NULL.
    func text(_ column: Int32) -> String? {
        guard type(column) != SQLITE_NULL, let text = sqlite3_column_text(raw, column) else { return nil }
        // By its length: text may hold a NUL.
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column's bytes when it holds a BLOB, nil otherwise.
    func blob(_ column: Int32) -> [UInt8]? {
        guard type(column) == SQLITE_BLOB else { return nil }
        let count = Int(sqlite3_column_bytes(raw, column))
        guard count > 0, let base = sqlite3_column_blob(raw, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Steps an insert, update or delete to its end.
    func execute(in db: Database) throws {
        try checkBindings(in: db)
        let code = sqlite3_step(raw)
        sqlite3_reset(raw)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }
}
