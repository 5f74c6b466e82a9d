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
        image = try submission.image.map { ByteBuffer(bytes: try Self.sealCopy($0.bytes, sha256: $0.sha256, key: key)) }
    }

    /// A stored copy, bound to the SHA-256 its row is stored under: a sealed copy moved to
    /// another image's row (of the same subject, whose key would open it) no longer opens.
    static func sealCopy(_ bytes: [UInt8], sha256: String, key: SubjectKey) throws -> [UInt8] {
        try key.seal(bytes, authenticating: Array(sha256.utf8))
    }

    /// The plaintext of `sealCopy` for the row of `sha256`. A copy sealed before copies were
    /// bound (migration-free: it names no row) opens as it was sealed; one that was bound opens
    /// under no other row's SHA-256, and never without one.
    static func openCopy(_ sealed: [UInt8], sha256: String, key: SubjectKey) throws -> [UInt8] {
        do {
            return try key.open(sealed, authenticating: Array(sha256.utf8))
        } catch {
            return try key.open(sealed)
        }
    }

    /// The image id a row holds, opened with its subject's key; an erased row's says so. The
    /// id must be the one the row's `image_key` names (its HMAC under the master key), so a
    /// sealed id moved to another row of the same subject is reported, not shown.
    static func imageID(
        _ sealed: ByteBuffer?, imageKey: ByteBuffer?, source: String, admissionID: String, key: SubjectKey?, keyring: SubjectKeyring
    ) throws -> String {
        guard let sealed else { return "erased:" + admissionID }
        do {
            guard let key, let imageKey else { throw StoreError.corruptRecord("no key") }
            let imageID = String(decoding: try key.open(Array(buffer: sealed)), as: UTF8.self)
            guard keyring.imageLookup(source: source, imageID: imageID) == Array(buffer: imageKey) else {
                throw StoreError.corruptRecord("not the row's image id")
            }
            return imageID
        } catch {
            throw StoreError.corruptRecord(id: admissionID, column: "image_id_sealed")
        }
    }
}
