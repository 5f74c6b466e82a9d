import Foundation
import GRDB

extension AppDatabase {
    /// Copies the whole write-ahead log into the database file and truncates it to zero bytes,
    /// so that pages an erasure replaced no longer exist in the log either (a rewound log keeps
    /// its old frames on disk past the new write position).
    ///
    /// It runs on the writer's own connection, between two of its transactions, waiting at most
    /// `seconds` for readers of older snapshots: admissions wait that long at most, plus the copy
    /// of what the log still holds. A TRUNCATE that cannot finish carries on as a PASSIVE
    /// checkpoint; on the writer's queue no commit can race it (SQLite's WAL-reset bug), and the
    /// background checkpointer, told through `checkpointing`, waits for a commit before its next
    /// pass. When it cannot finish, the request stays pending and the `WALCheckpointer` tries
    /// again each round until it does.
    /// - Returns: whether the log is now empty.
    @discardableResult
    public func truncateWAL(waitingAtMost seconds: Double) async -> Bool {
        // Requests are numbered: a truncation clears only what was asked before it began, so
        // an erasure that commits meanwhile (and whose own attempt may fail) stays pending.
        let request = walTruncationPending.withLock { state in
            state.requested += 1
            return state.requested
        }
        do {
            try await writer.writeWithoutTransaction { [checkpointing] db in
                try checkpointing.withLock { attempts in
                    attempts += 1
                    try db.execute(sql: "PRAGMA busy_timeout = \(Int(seconds * 1000))")
                    defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)") }
                    _ = try db.checkpoint(.truncate)
                }
            }
        } catch {
            return false
        }
        walTruncationPending.withLock { state in state.done = max(state.done, request) }
        return true
    }

    /// Truncations attempted so far (each may have left the log wholly copied).
    var walTruncationAttempts: Int { checkpointing.withLock { $0 } }

    /// Whether a truncation was asked for and has not been done yet.
    public var isWALTruncationPending: Bool { walTruncationPending.withLock { $0.done < $0.requested } }
}
