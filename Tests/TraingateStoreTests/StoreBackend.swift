import Testing

/// The two implementations of the store, for suites that run against both.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when a cluster is there or required (`PostgresTestDatabase`).
    static let available: [StoreBackend] = PostgresTestDatabase.enabled ? [.sqlite, .postgres] : [.sqlite]

    var testDescription: String { rawValue }
}
