import Testing

/// The two implementations of the store, for suites that run against both.
public enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when a cluster is there or required (`PostgresTestDatabase`).
    public static let available: [StoreBackend] = PostgresTestDatabase.enabled ? [.sqlite, .postgres] : [.sqlite]

    public var testDescription: String { rawValue }
}
