import GRDB

/// Text that many rows share, stored once and named by its row id (migration v12): a policy
/// version is the same 71 characters in every decision made under it, and a reason list (with
/// its messages) is one of few per policy. Rows refer to it; `CompactColumns` reads it back.
struct InternedText: Sendable {
    let table: String
    let column: String
    private let selectSQL: String
    private let insertSQL: String

    init(table: String, column: String) {
        self.table = table
        self.column = column
        selectSQL = "SELECT id FROM \(table) WHERE \(column) = ?"
        insertSQL = "INSERT INTO \(table) (\(column)) VALUES (?)"
    }

    static let policyVersions = InternedText(table: "known_policy_version", column: "version")
    static let reasonLists = InternedText(table: "reason_list", column: "reasons")

    /// The id of `text`, added on first use. Inside the caller's write transaction, so a new
    /// text commits with the row that first names it.
    func reference(to text: String, in db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: selectSQL), arguments: [text]) {
            return id
        }
        try db.cachedStatement(sql: insertSQL).execute(arguments: [text])
        return db.lastInsertedRowID
    }
}
