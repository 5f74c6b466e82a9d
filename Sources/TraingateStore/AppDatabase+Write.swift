import GRDB

extension AppDatabase {
    /// A write transaction whose failure to commit (a full disk, a read-only file, an I/O
    /// error) is a `StoreError.writeFailed`: the app answers it `503`, nothing recorded, like
    /// every other storage failure. A `StoreError` the body throws on purpose passes unchanged.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.writeFailed(error)
        }
    }

    /// The same, for callers off Swift concurrency (the training thread, the CLI).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.writeFailed(error)
        }
    }
}
