import Crypto
import Foundation
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// The master key's check on PostgreSQL. Several instances share one database, so each must
/// bring the same master key: one with another key would seal subjects' facts no other instance
/// could open. So the first start seals the pseudonym key (the master key itself, until a
/// rotation) in `key_envelope`, as SQLite's `MasterKeyRotation` does at a rotation, and every
/// start must open that envelope: an instance with another key is refused before it serves,
/// even when the database holds no subject yet.
public enum PostgresKeyEnvelope {
    /// The key lookup pseudonyms are made with, from the envelope (sealed now if there is none).
    /// - Throws: `StoreError.corruptRecord` when `master` does not open the envelope.
    public static func pseudonymKey(master: SymmetricKey, in store: PostgresStore) async throws -> SymmetricKey {
        let client = try store.openClient()
        let first = ByteBuffer(data: try MasterKeyRotation.sealEnvelope(master, with: master))
        let sealedAt = Timestamp.format(Date())
        // Two instances starting at once on an empty database: the first insert wins, and the
        // other opens the winner's envelope (or is refused).
        try await client.query(
            "INSERT INTO key_envelope (name, sealed, sealed_at) VALUES ('pseudonym', \(first), \(sealedAt)) ON CONFLICT (name) DO NOTHING",
            logger: store.logger)
        let rows = try await client.query("SELECT sealed FROM key_envelope WHERE name = 'pseudonym'", logger: store.logger)
        for try await sealed in rows.decode(ByteBuffer.self) {
            do {
                return try MasterKeyRotation.openEnvelope(Data(buffer: sealed), with: master)
            } catch {
                throw StoreError.corruptRecord(
                    "the master key does not open this database's pseudonym key: every instance on one database needs the same security.master_key")
            }
        }
        throw StoreError.corruptRecord("the pseudonym key's envelope is missing")
    }
}
