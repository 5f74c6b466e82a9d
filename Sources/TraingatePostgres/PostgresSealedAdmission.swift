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

    /// Each value is bound to its row (authenticated data), so that a sealed value the
    /// database's owner moves to another row of the same subject, whose key would open it,
    /// opens nowhere: the image id to its admission's id, the copy to its SHA-256.
    init(_ submission: AdmissionSubmission, admissionID: String, key: SubjectKey) throws {
        imageID = ByteBuffer(bytes: try key.seal(Array(submission.imageID.utf8), authenticating: Array(admissionID.utf8)))
        image = try submission.image.map { ByteBuffer(bytes: try Self.sealCopy($0.bytes, sha256: $0.sha256, key: key)) }
    }

    /// A stored copy, bound to the SHA-256 its row is stored under.
    static func sealCopy(_ bytes: [UInt8], sha256: String, key: SubjectKey) throws -> [UInt8] {
        try key.seal(bytes, authenticating: Array(sha256.utf8))
    }

    /// The plaintext of `sealCopy` for the row of `sha256`; throws for a copy sealed for
    /// another row.
    static func openCopy(_ sealed: [UInt8], sha256: String, key: SubjectKey) throws -> [UInt8] {
        try key.open(sealed, authenticating: Array(sha256.utf8))
    }

    /// The image id a row holds, opened with its subject's key; an erased row's says so. It must
    /// open for this admission and be the one the row's `image_key` names (its HMAC under the
    /// master key): anything else is reported, not shown.
    static func imageID(
        _ sealed: ByteBuffer?, imageKey: ByteBuffer?, source: String, admissionID: String, key: SubjectKey?, keyring: SubjectKeyring
    ) throws -> String {
        guard let sealed else { return "erased:" + admissionID }
        do {
            guard let key, let imageKey else { throw StoreError.corruptRecord("no key") }
            let imageID = String(decoding: try key.open(Array(buffer: sealed), authenticating: Array(admissionID.utf8)), as: UTF8.self)
            guard keyring.imageLookup(source: source, imageID: imageID) == Array(buffer: imageKey) else {
                throw StoreError.corruptRecord("not the row's image id")
            }
            return imageID
        } catch {
            throw StoreError.corruptRecord(id: admissionID, column: "image_id_sealed")
        }
    }
}
