/// `StoreHealth` of the SQLite store: the migrations GRDB recorded, a write through the
/// group-commit writer (`WritabilityProbe`), and the levels in one read transaction.
public struct SQLiteHealth: StoreHealth {
    let database: AppDatabase
    let probe: WritabilityProbe

    public init(database: AppDatabase, probe: WritabilityProbe) {
        self.database = database
        self.probe = probe
    }

    public func isMigrated() async -> Bool { (try? await database.isMigrated()) ?? false }

    public func writeProblem() async -> String? { await probe.problem() }

    public func levels() async throws -> StoreLevels { try await StoreLevels.read(from: database) }
}
