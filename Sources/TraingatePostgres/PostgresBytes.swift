import NIOCore
import StrictDocuments
import TraingateStore

/// Hashes and pseudonyms, which traingate handles as 64 hex digits, as the 32 bytes PostgreSQL
/// stores (`bytea`), as SQLite's compact columns do.
enum PostgresBytes {
    static func hex(_ text: String, field: String) throws -> ByteBuffer {
        guard let bytes = Hex.decode(text), bytes.count == 32 else {
            throw StoreError.corruptRecord("\(field) is not 64 hex digits")
        }
        return ByteBuffer(bytes: bytes)
    }
}
