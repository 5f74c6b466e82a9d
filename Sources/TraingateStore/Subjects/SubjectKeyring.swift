import Crypto
import Foundation
import GRDB

/// Keeps subject keys in the `subject_key` table, each wrapped (AES-256-GCM) under a key derived
/// from the instance's master key, so a copy of the database alone reveals no subject key.
///
/// A subject is found by its lookup pseudonym (HMAC under the master key, the `subject_ref` of
/// admission rows); deleting its row is what erasure does to make its audit entries unreadable.
public struct SubjectKeyring: Sendable {
    private let wrappingKey: SymmetricKey
    /// Keys the pseudonym of a pipeline's image id where a store must find it without holding
    /// it in the clear (PostgreSQL's `admission.image_key`).
    private let imageLookupKey: SymmetricKey
    /// Keys committed admissions used, shared by every copy of this keyring (one per app).
    package let cache = SubjectKeyCache()
    /// Bucket keys (PostgreSQL), shared the same way.
    package let bucketKeys = BucketKeyCache()

    public init(masterKey: SymmetricKey) {
        // A key of its own for wrapping (HKDF), never the master key itself, which also keys
        // the lookup pseudonyms.
        wrappingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: masterKey, info: Array("traingate subject-key wrapping v1".utf8), outputByteCount: 32)
        imageLookupKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: masterKey, info: Array("traingate image-id lookup v1".utf8), outputByteCount: 32)
    }

    /// Every key held in memory leaves it (both caches), as after erasures this process may not
    /// have heard of.
    package func forgetCachedKeys() {
        cache.forgetAll()
        bucketKeys.forgetAll()
    }

    /// HMAC-SHA256 of (`source`, `imageID`) under a key of the master key's: the same pair
    /// always gives the same 32 bytes, and no one without the master key can tell which pair.
    package func imageLookup(source: String, imageID: String) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: imageLookupKey)
        hmac.update(data: Array(source.utf8))
        hmac.update(data: [0])
        hmac.update(data: Array(imageID.utf8))
        return Array(hmac.finalize())
    }

    /// The subject's key, created and stored on first use. Runs inside the caller's write, so a
    /// key and the first entry sealed under it commit together.
    /// - Parameter wrapped: the subject's row as this transaction read it (`WriteProbe`); nil
    ///   when there is none yet.
    func key(
        forLookup lookup: StoredLookup, stored wrapped: [UInt8]?, createdAt: String, in db: Database
    ) throws -> (key: SubjectKey, wrapped: [UInt8]) {
        if let wrapped { return (try unwrap(wrapped, lookup: lookup.hex), wrapped) }
        let key = SubjectKey.random()
        let wrapped = try wrap(key, lookup: lookup.hex)
        try store(wrapped: wrapped, forLookup: lookup, createdAt: createdAt, in: db)
        return (key, wrapped)
    }

    /// Stores a new subject's wrapped key, inside the caller's write.
    func store(wrapped: [UInt8], forLookup lookup: StoredLookup, createdAt: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO subject_key (lookup, wrapped, created_at) VALUES (?, ?, ?)")
            .execute(arguments: [lookup, Data(wrapped), createdAt])
    }

    /// The subject's key if it still exists (nil once erased).
    func existingKey(forLookup lookup: String, in db: Database) throws -> SubjectKey? {
        try Data.fetchOne(db, sql: "SELECT wrapped FROM subject_key WHERE lookup = ?", arguments: [StoredLookup(lookup)])
            .map { try unwrap(Array($0), lookup: lookup) }
    }

    // The lookup is authenticated data: a wrapped key moved to another subject's row won't open.
    package func wrap(_ key: SubjectKey, lookup: String) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(key.bytes, using: wrappingKey, authenticating: Array(lookup.utf8)).combined else {
            throw StoreError.corruptRecord("AES-GCM produced no combined form")
        }
        return Array(combined)
    }

    package func unwrap(_ wrapped: [UInt8], lookup: String) throws -> SubjectKey {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return SubjectKey(bytes: Array(try AES.GCM.open(box, using: wrappingKey, authenticating: Array(lookup.utf8))))
        } catch {
            throw StoreError.corruptRecord("the key of subject \(lookup.prefix(12))… does not open under this master key")
        }
    }
}
