import NIOCore
import TraingateStore

/// Reads a stored copy back: `image.bytes` is sealed under the key of the subject named by
/// `image.sealed_by`, so a query selects `columns` with `joined` and opens them here.
enum PostgresStoredCopy {
    static let columns = "i.bytes, i.sealed_by, \(PostgresSubjectKeys.columns)"
    static let joined = PostgresSubjectKeys.joined(on: "i.sealed_by")
    typealias Columns = (ByteBuffer, ByteBuffer, ByteBuffer?, Int32?, ByteBuffer?)

    /// The copy's bytes. A copy whose sealing key is gone or does not open it is reported: an
    /// erasure reseals or deletes every copy its subject sealed, so this is damage, not a state.
    static func open(_ columns: Columns, sha256: String, keys: PostgresSubjectKeys) throws -> [UInt8] {
        let (sealed, sealedBy, wrapped, bucket, bucketWrapped) = columns
        do {
            guard let wrapped, let bucket, let bucketWrapped else { throw StoreError.corruptRecord("no key") }
            let key = try keys.subjectKey(lookup: sealedBy, wrapped: wrapped, bucket: bucket, bucketWrapped: bucketWrapped)
            return try PostgresSealedAdmission.openCopy(Array(buffer: sealed), sha256: sha256, key: key)
        } catch {
            throw StoreError.corruptRecord("the stored copy of \(sha256) does not open under its subject's key")
        }
    }
}
