import Foundation
import GRDB

extension AppDatabase {
    /// Copies the whole write-ahead log into the database file and truncates it to zero bytes,
    /// so that pages an erasure replaced no longer exist in the log either (a rewound log keeps
    /// its old frames on disk past the new write position). From a connection of its own,
    /// waiting at most `seconds` for readers of older snapshots: while it waits, SQLite holds
    /// new writers back, so the wait is short. When it cannot finish, the request stays pending
    /// and the `WALCheckpointer` tries again each round until it does. The wait happens on the
    /// connection's own dispatch queue (GRDB's async access), never on the cooperative pool.
    /// - Returns: whether the log is now empty.
    @discardableResult
    public func truncateWAL(waitingAtMost seconds: Double) async -> Bool {
        // Requests are numbered: a truncation clears only what was asked before it began, so
        // an erasure that commits meanwhile (and whose own attempt may fail) stays pending.
        let request = walTruncationPending.withLock { state in
            state.requested += 1
            return state.requested
        }
        var configuration = Self.makeConfiguration()
        configuration.busyMode = .timeout(seconds)
        do {
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? connection.close() }
            try await connection.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch {
            return false
        }
        walTruncationPending.withLock { state in state.done = max(state.done, request) }
        return true
    }

    /// Whether a truncation was asked for and has not been done yet.
    public var isWALTruncationPending: Bool { walTruncationPending.withLock { $0.done < $0.requested } }
}
