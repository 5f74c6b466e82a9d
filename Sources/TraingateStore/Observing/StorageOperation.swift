/// The background storage work a failure happened in.
public enum StorageOperation: String, CaseIterable, Sendable {
    /// A group commit of admissions and other writes.
    case commit
    /// A WAL checkpoint round (copying the log back into the database file).
    case checkpoint
}
