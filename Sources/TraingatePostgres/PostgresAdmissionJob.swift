import NIOCore
import TraingateStore

/// One admission on its way into a PostgreSQL group commit: the submission, and what was
/// formed before the write on the request's own task (ids, JSON columns, the subject-key work,
/// the hashes as bytes, the image id's lookup, and what is sealed under the prepared key).
public struct PostgresAdmissionJob: Sendable {
    let submission: AdmissionSubmission
    let columns: PreparedColumns
    let prepared: PreparedSubjectKey
    let lookup: ByteBuffer
    let requestHash: ByteBuffer
    /// HMAC of (`source`, `image_id`): the idempotency key as stored.
    let imageKey: ByteBuffer
    /// The image id and the stored copy, sealed under the prepared key (the write seals again
    /// only when it uses another key).
    let sealed: PostgresSealedAdmission

    /// - Throws: `StoreError.corruptRecord` when the pseudonym or the request hash is not 64
    ///   hex digits (this request alone fails, before anything is written).
    init(_ submission: AdmissionSubmission, prepared: PreparedSubjectKey, keyring: SubjectKeyring) throws {
        self.submission = submission
        columns = PreparedColumns(submission)
        self.prepared = prepared
        lookup = try PostgresBytes.hex(submission.subjectRef, field: "the subject's lookup pseudonym")
        requestHash = try PostgresBytes.hex(submission.requestHash, field: "the request hash")
        imageKey = ByteBuffer(bytes: keyring.imageLookup(source: submission.source, imageID: submission.imageID))
        sealed = try PostgresSealedAdmission(submission, admissionID: columns.admissionID, key: prepared.key)
    }

    /// The idempotency key.
    var key: PostgresAdmissionKey { PostgresAdmissionKey(source: submission.source, imageID: submission.imageID) }
}

/// (`source`, `image_id`): at most one current decision each.
struct PostgresAdmissionKey: Hashable, Sendable {
    let source: String
    let imageID: String
}
