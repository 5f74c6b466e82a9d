import NIOCore
import TraingateStore

/// What an admission stores under its subject's key on PostgreSQL: the pipeline's image id
/// (`admission.image_id_sealed`) and, for a photo, the stored copy (`image.bytes`). Erasure
/// destroys the key, and with it every copy of these that lingers in the files.
struct PostgresSealedAdmission: Sendable {
    let imageID: ByteBuffer
    /// Nil without a photo. Sealed whether or not the decision keeps it: sealing before the
    /// write keeps it off the group commit's path, which only rejected photos then skip.
    let image: ByteBuffer?

    init(_ submission: AdmissionSubmission, key: SubjectKey) throws {
        imageID = ByteBuffer(bytes: try key.seal(Array(submission.imageID.utf8)))
        image = try submission.image.map { ByteBuffer(bytes: try key.seal($0.bytes)) }
    }

    /// The image id a row holds, opened with its subject's key; an erased row's says so.
    static func imageID(_ sealed: ByteBuffer?, admissionID: String, key: SubjectKey?) throws -> String {
        guard let sealed else { return "erased:" + admissionID }
        guard let key else { throw StoreError.corruptRecord(id: admissionID, column: "image_id_sealed") }
        do {
            return String(decoding: try key.open(Array(buffer: sealed)), as: UTF8.self)
        } catch {
            throw StoreError.corruptRecord(id: admissionID, column: "image_id_sealed")
        }
    }
}
