import GRDB

/// A long list of ids for an `IN (…)` clause, cut into chunks: SQLite limits the number of
/// bound parameters in one statement.
struct IDChunks: Sequence {
    /// One chunk: its ids as arguments, and as many `?` placeholders, comma-separated.
    struct Chunk {
        let arguments: StatementArguments
        let placeholders: String
    }

    let ids: [String]
    var size = 500

    func makeIterator() -> AnyIterator<Chunk> {
        var start = 0
        return AnyIterator {
            guard start < ids.count else { return nil }
            let chunk = Array(ids[start..<Swift.min(start + size, ids.count)])
            start += size
            return Chunk(
                arguments: StatementArguments(chunk), placeholders: Array(repeating: "?", count: chunk.count).joined(separator: ","))
        }
    }
}
