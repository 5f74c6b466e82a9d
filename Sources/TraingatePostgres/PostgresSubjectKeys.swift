import Crypto
import NIOCore
import PostgresNIO
import StrictDocuments
import Synchronization
import TraingateStore

/// Subject keys on PostgreSQL: each wrapped under the key of one of `bucketCount` buckets
/// (`key_bucket`), and each bucket key wrapped under the master key's wrapping key.
///
/// Why the middle level: PostgreSQL never overwrites a deleted row in place. The row and its
/// WAL record stay in the files until vacuum and later writes reuse the space, so a destroyed
/// subject key would still open with the master key. Erasure instead rotates the bucket the
/// subject's key was in (`rotate`): the bucket's other keys are wrapped again under a new
/// bucket key, and the old one leaves the files with a rewrite of `key_bucket`, a table small
/// enough to rewrite whole (`PostgresPhysicalErasure`). What the old bucket key wrapped is then
/// noise, wherever its bytes linger.
public struct PostgresSubjectKeys: Sendable {
    /// Enough that a rotation rewraps few keys (a 10M-subject store: about 2,400), few enough
    /// that `key_bucket` (about 300 KB) is rewritten in milliseconds.
    static let bucketCount: Int32 = 4096

    let keyring: SubjectKeyring
    private var cache: BucketKeyCache { keyring.bucketKeys }

    public init(keyring: SubjectKeyring) {
        self.keyring = keyring
    }

    /// The bucket of a lookup pseudonym (32 bytes of HMAC, so its leading bytes are uniform).
    package static func bucket(of lookup: ByteBuffer) -> Int32 {
        let high = Int32(lookup.getInteger(at: lookup.readerIndex, as: UInt8.self) ?? 0)
        let low = Int32(lookup.getInteger(at: lookup.readerIndex + 1, as: UInt8.self) ?? 0)
        return (high << 8 | low) % bucketCount
    }

    /// The bucket of a lookup pseudonym given as hex (nil when it is not hex).
    static func bucket(ofHex lookup: String) -> Int32? {
        Hex.decode(String(lookup.prefix(4))).map { bucket(of: ByteBuffer(bytes: $0)) }
    }

    /// A new bucket key, and how `key_bucket.wrapped` holds it.
    func newBucketKey(_ bucket: Int32) throws -> (key: SymmetricKey, wrapped: [UInt8]) {
        let raw = SubjectKey.random()
        let wrapped = try keyring.wrap(raw, lookup: Self.label(of: bucket))
        let key = SymmetricKey(data: raw.bytes)
        cache.remember(bucket, wrapped: wrapped, key: key)
        return (key, wrapped)
    }

    /// The bucket's key, from the bytes `key_bucket.wrapped` holds now (unwrapped once per
    /// rotation, then from memory). Only for a reader holding the chain head's lock, who alone
    /// may store it (`BucketKeyCache`); others call `readBucketKey`.
    func bucketKeyUnderHeadLock(_ bucket: Int32, wrapped: [UInt8]) throws -> SymmetricKey {
        let key = try readBucketKey(bucket, wrapped: wrapped)
        cache.remember(bucket, wrapped: wrapped, key: key)
        return key
    }

    /// The bucket's key from memory, or unwrapped without storing it: a reader outside the
    /// head's lock may have read bytes an erasure has rotated since, and must not bring the old
    /// key back into memory after the erasure's notice took it out.
    func readBucketKey(_ bucket: Int32, wrapped: [UInt8]) throws -> SymmetricKey {
        if let key = cache.key(bucket, wrapped: wrapped) { return key }
        return SymmetricKey(data: try keyring.unwrap(wrapped, lookup: Self.label(of: bucket)).bytes)
    }

    /// A subject key as `subject_key.wrapped` holds it. The lookup is authenticated, so a
    /// wrapped key moved to another subject's row does not open.
    func wrap(_ key: SubjectKey, lookup: ByteBuffer, under bucketKey: SymmetricKey) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(key.bytes, using: bucketKey, authenticating: Array(buffer: lookup)).combined else {
            throw StoreError.corruptRecord("AES-GCM produced no combined form")
        }
        return Array(combined)
    }

    func unwrap(_ wrapped: [UInt8], lookup: ByteBuffer, under bucketKey: SymmetricKey) throws -> SubjectKey {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return SubjectKey(bytes: Array(try AES.GCM.open(box, using: bucketKey, authenticating: Array(buffer: lookup))))
        } catch {
            throw StoreError.corruptRecord("a subject key does not open under its bucket's key")
        }
    }

    /// The subject key a row read with `joined` holds: the subject's wrapped key, its bucket,
    /// and the bucket's wrapped key.
    func subjectKey(lookup: ByteBuffer, wrapped: ByteBuffer, bucket: Int32, bucketWrapped: ByteBuffer) throws -> SubjectKey {
        try unwrap(Array(buffer: wrapped), lookup: lookup, under: readBucketKey(bucket, wrapped: Array(buffer: bucketWrapped)))
    }

    /// The query for one subject's key (`existingKey` reads its rows).
    static func keyQuery(lookup: ByteBuffer) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(lookup)
        return PostgresQuery(
            unsafeSQL: "SELECT \(columns) FROM subject_key sk JOIN key_bucket kb ON kb.bucket = sk.bucket WHERE sk.lookup = $1", binds: binds)
    }

    /// The subject's key from the rows of `keyQuery` (nil once erased).
    func existingKey(lookup: ByteBuffer, rows: [PostgresRow]) throws -> SubjectKey? {
        guard let row = rows.first else { return nil }
        let (wrapped, bucket, bucketWrapped) = try row.decode((ByteBuffer, Int32, ByteBuffer).self)
        return try subjectKey(lookup: lookup, wrapped: wrapped, bucket: bucket, bucketWrapped: bucketWrapped)
    }

    /// The subject's key, read on `connection` (nil once erased).
    func existingKey(lookup: ByteBuffer, on connection: PostgresConnection, logger: Logger) async throws -> SubjectKey? {
        try existingKey(lookup: lookup, rows: try await connection.query(Self.keyQuery(lookup: lookup), logger: logger).collect())
    }

    /// The columns `subjectKey` reads, for a query that joins `subject_key sk` and `key_bucket kb`.
    static let columns = "sk.wrapped, sk.bucket, kb.wrapped"
    /// Joins a lookup pseudonym column to its subject's key and bucket (NULLs when erased).
    static func joined(on lookup: String) -> String {
        "LEFT JOIN subject_key sk ON sk.lookup = \(lookup) LEFT JOIN key_bucket kb ON kb.bucket = sk.bucket"
    }

    /// Erasure's rotation, inside its transaction and under the chain head's lock (so no
    /// admission group adds a key to the bucket meanwhile): every key left in `bucket` is
    /// wrapped again under a new bucket key, which replaces the old one.
    func rotate(bucket: Int32, on connection: PostgresConnection, logger: Logger) async throws {
        var binds = PostgresBindings()
        binds.append(bucket)
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT wrapped FROM key_bucket WHERE bucket = $1 FOR UPDATE", binds: binds), logger: logger
        ).collect()
        guard let row = rows.first else { return }
        let old = try readBucketKey(bucket, wrapped: Array(buffer: try row.decode(ByteBuffer.self)))
        let new = try newBucketKey(bucket)
        var lookups: [ByteBuffer] = []
        var rewrapped: [ByteBuffer] = []
        for try await (lookup, wrapped) in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT lookup, wrapped FROM subject_key WHERE bucket = $1", binds: binds), logger: logger
        ).decode((ByteBuffer, ByteBuffer).self) {
            let key = try unwrap(Array(buffer: wrapped), lookup: lookup, under: old)
            lookups.append(lookup)
            rewrapped.append(ByteBuffer(bytes: try wrap(key, lookup: lookup, under: new.key)))
        }
        var update = PostgresBindings()
        update.append(lookups)
        update.append(rewrapped)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE subject_key SET wrapped = v.wrapped FROM unnest($1::bytea[], $2::bytea[]) AS v(lookup, wrapped)
                    WHERE subject_key.lookup = v.lookup
                    """, binds: update), logger: logger)
        binds.append(ByteBuffer(bytes: new.wrapped))
        try await connection.query(
            PostgresQuery(unsafeSQL: "UPDATE key_bucket SET wrapped = $2 WHERE bucket = $1", binds: binds), logger: logger)
    }

    /// The authenticated label a bucket key is wrapped with (never a lookup's 64 hex digits).
    private static func label(of bucket: Int32) -> String { "key bucket \(bucket)" }
}
