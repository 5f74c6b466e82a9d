/// What `/readyz` and `/metrics` ask of the store, whichever backend holds it.
public protocol StoreHealth: Sendable {
    /// Whether the store is open and has every migration this version knows.
    func isMigrated() async -> Bool
    /// Nil when a durable write commits now, else what went wrong.
    func writeProblem() async -> String?
    /// How full the queues are and where the audit chain's head is.
    func levels() async throws -> StoreLevels
}
