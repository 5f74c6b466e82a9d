import Synchronization

/// Ids of interned texts (policy versions, reason lists) known to be committed, so that a group
/// commit names them without a round trip: an id, once committed, never changes (the tables
/// are append-only). One per `PostgresStore`, as ids differ from database to database.
final class PostgresCommittedTexts: Sendable {
    private let ids = Mutex<[PostgresInternedText: [String: Int64]]>([:])

    func id(of text: String, in table: PostgresInternedText) -> Int64? {
        ids.withLock { $0[table]?[text] }
    }

    func remember(_ found: [String: Int64], in table: PostgresInternedText) {
        guard !found.isEmpty else { return }
        ids.withLock { $0[table, default: [:]].merge(found) { stored, _ in stored } }
    }
}
