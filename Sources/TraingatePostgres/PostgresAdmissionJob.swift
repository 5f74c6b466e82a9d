import NIOCore
import TraingateStore

/// One admission on its way into a PostgreSQL group commit: the submission, and what was
/// formed before the write on the request's own task (ids, JSON columns, the subject-key work,
/// the hashes as bytes).
public struct PostgresAdmissionJob: Sendable {
    let submission: AdmissionSubmission
    let columns: PreparedColumns
    let prepared: PreparedSubjectKey
    let lookup: ByteBuffer
    let requestHash: ByteBuffer

    /// - Throws: `StoreError.corruptRecord` when the pseudonym or the request hash is not 64
    ///   hex digits (this request alone fails, before anything is written).
    init(_ submission: AdmissionSubmission, prepared: PreparedSubjectKey) throws {
        self.submission = submission
        columns = PreparedColumns(submission)
        self.prepared = prepared
        lookup = try PostgresBytes.hex(submission.subjectRef, field: "the subject's lookup pseudonym")
        requestHash = try PostgresBytes.hex(submission.requestHash, field: "the request hash")
    }

    /// The idempotency key.
    var key: PostgresAdmissionKey { PostgresAdmissionKey(source: submission.source, imageID: submission.imageID) }
}

/// (`source`, `image_id`): at most one current decision each.
struct PostgresAdmissionKey: Hashable, Sendable {
    let source: String
    let imageID: String
}
