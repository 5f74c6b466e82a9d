import Synchronization

/// Ids of interned texts (`InternedText`: policy versions, reason lists) that committed
/// transactions wrote or found. A decision that reuses one refers to it without a lookup on the
/// serialized writer (a statement per text per decision, about a tenth of the writer's time).
///
/// Only ids from transactions known to be durable enter (the submitter learns them when its
/// group commit returns), and an interned row never changes once committed (the tables refuse
/// updates and deletes), so a remembered id stays right for the life of the database. Bounded:
/// past `limit` texts, the rest are looked up as before.
final class CommittedTextIDs: Sendable {
    struct Key: Hashable, Sendable {
        let table: String
        let text: String
    }

    static let limit = 4096
    private let ids = Mutex<[Key: Int64]>([:])

    func id(of text: String, in interned: InternedText) -> Int64? {
        ids.withLock { $0[Key(table: interned.table, text: text)] }
    }

    /// Call only once the transaction that used `id` has committed.
    func remember(_ id: Int64, of text: String, in interned: InternedText) {
        ids.withLock { ids in
            guard ids.count < Self.limit else { return }
            ids[Key(table: interned.table, text: text)] = id
        }
    }
}
