import Crypto
import Foundation
import GRDB
import StrictDocuments

/// The master key has two jobs: it wraps every subject key (through a key derived from it), and
/// it keyed the lookup pseudonyms (`subject_ref`) from the first start. Rotating it must change
/// the first and cannot change the second: a pseudonym cannot be recomputed without the subject
/// id it hides, and registered objections must keep matching. So a rotation, in one transaction,
/// unwraps every subject key with the old master key and wraps it with the new one, and seals
/// the pseudonym key (the first master key) under the new master key in `key_envelope`.
///
/// After it, the old master key opens nothing in the database: a copy of the database taken
/// afterwards is safe from whoever kept the old key. Copies taken before stay readable with it,
/// which is why backups must expire (docs/security.md).
public enum MasterKeyRotation {
    /// The key the lookup pseudonyms are made with: the envelope's, sealed under `master`, or
    /// `master` itself before the first rotation.
    /// - Throws: `StoreError.corruptRecord` when the envelope does not open under `master`
    ///   (the wrong master key for this database).
    public static func pseudonymKey(master: SymmetricKey, in database: AppDatabase) throws -> SymmetricKey {
        try envelope(in: database, openedWith: master) ?? master
    }

    /// Whether a rotation to `master` has committed: the envelope exists and opens under it
    /// (how an interrupted `rotate-master` learns which key the database now needs).
    public static func isSealed(under master: SymmetricKey, in database: AppDatabase) -> Bool {
        (try? envelope(in: database, openedWith: master)) != nil
    }

    /// Whether `master` is the key this database needs: it opens the pseudonym key's envelope
    /// (after a rotation) and a subject key. True for a database that holds neither yet.
    public static func opens(_ database: AppDatabase, master: SymmetricKey) throws -> Bool {
        guard (try? envelope(in: database, openedWith: master)) != nil || !hasEnvelope(database) else { return false }
        let row = try database.writer.read { db in try Row.fetchOne(db, sql: "SELECT lookup, wrapped FROM subject_key LIMIT 1") }
        guard let row else { return true }
        return (try? SubjectKeyring(masterKey: master).unwrap(Array(row["wrapped"] as Data), lookup: (row["lookup"] as StoredLookup).hex)) != nil
    }

    private static func hasEnvelope(_ database: AppDatabase) -> Bool {
        ((try? database.writer.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM key_envelope)") }) ?? nil) ?? false
    }

    /// The pseudonym key from its envelope, opened with `master`; nil when there is no envelope.
    private static func envelope(in database: AppDatabase, openedWith master: SymmetricKey) throws -> SymmetricKey? {
        let sealed = try database.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT sealed FROM key_envelope WHERE name = 'pseudonym'")
        }
        return try sealed.map { try openEnvelope($0, with: master) }
    }

    /// The pseudonym key sealed in `sealed` (a `key_envelope` row of either backend).
    /// - Throws: `StoreError.corruptRecord` when `master` does not open it.
    package static func openEnvelope(_ sealed: Data, with master: SymmetricKey) throws -> SymmetricKey {
        do {
            return SymmetricKey(data: try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: envelopeKey(master)))
        } catch {
            throw StoreError.corruptRecord("the master key does not open this database's pseudonym key (a rotated database needs its new master key)")
        }
    }

    /// `pseudonym` sealed for a `key_envelope` row, under a key derived from `master`.
    package static func sealEnvelope(_ pseudonym: SymmetricKey, with master: SymmetricKey) throws -> Data {
        let sealed = try pseudonym.withUnsafeBytes { try AES.GCM.seal(Array($0), using: envelopeKey(master)).combined }
        guard let sealed else { throw StoreError.corruptRecord("AES-GCM produced no combined form") }
        return sealed
    }

    /// Re-wraps every subject key and seals the pseudonym key under `new`; returns how many
    /// subject keys were re-wrapped. Nothing else may write meanwhile (`traingate keys
    /// rotate-master` holds the data directory's lock).
    @discardableResult
    public static func rotate(in database: AppDatabase, from old: SymmetricKey, to new: SymmetricKey, at instant: Date) throws -> Int {
        let pseudonym = try pseudonymKey(master: old, in: database)
        let (oldRing, newRing) = (SubjectKeyring(masterKey: old), SubjectKeyring(masterKey: new))
        let sealed = try sealEnvelope(pseudonym, with: new)
        return try database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT lookup, wrapped FROM subject_key")
            for row in rows {
                let lookup: StoredLookup = row["lookup"]
                let key = try oldRing.unwrap(Array(row["wrapped"] as Data), lookup: lookup.hex)
                try db.execute(
                    sql: "UPDATE subject_key SET wrapped = ? WHERE lookup = ?", arguments: [Data(try newRing.wrap(key, lookup: lookup.hex)), lookup])
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO key_envelope (name, sealed, sealed_at) VALUES ('pseudonym', ?, ?)",
                arguments: [sealed, Timestamp.format(instant)])
            return rows.count
        }
    }

    /// The key envelopes are sealed with: derived from the master key, never the master key itself.
    private static func envelopeKey(_ master: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array("traingate key envelope v1".utf8), outputByteCount: 32)
    }
}
