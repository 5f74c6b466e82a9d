import GRDB

/// Reads a row's columns by SQLite storage class, without GRDB's conversions (which trap on
/// values they cannot convert). The audit log is read from files an attacker may have edited,
/// so every column is either the type traingate wrote, NULL, or evidence of tampering.
struct StoredColumns {
    enum Read<Value> {
        case decoded(Value?)
        case wrongType

        /// The value of a NOT NULL column; nil when it is NULL or of another type.
        var required: Value? {
            if case .decoded(let value) = self { return value }
            return nil
        }
    }

    let row: Row

    init(_ row: Row) { self.row = row }

    func integer(_ column: String) -> Read<Int64> {
        read(column) { if case .int64(let value) = $0 { value } else { nil } }
    }

    func text(_ column: String) -> Read<String> {
        read(column) { if case .string(let value) = $0 { value } else { nil } }
    }

    func blob(_ column: String) -> Read<[UInt8]> {
        read(column) { if case .blob(let value) = $0 { Array(value) } else { nil } }
    }

    private func read<Value>(_ column: String, _ extract: (DatabaseValue.Storage) -> Value?) -> Read<Value> {
        let value: DatabaseValue = row[column]
        if value.isNull { return .decoded(nil) }
        guard let extracted = extract(value.storage) else { return .wrongType }
        return .decoded(extracted)
    }
}
