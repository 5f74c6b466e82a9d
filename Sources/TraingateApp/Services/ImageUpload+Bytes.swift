import Imaging
import StrictDocuments
import TraingateStore

extension ImageUpload {
    /// An uploaded image described by its bytes: SHA-256 and the media type its leading bytes show.
    init(bytes: [UInt8]) {
        self.init(
            sha256: AdmissionService.sha256(bytes),
            contentType: ImageFormat.detect(bytes)?.mediaType ?? "application/octet-stream", bytes: bytes)
    }

    /// The `image` member of decision responses.
    var json: JSONValue {
        .object(["sha256": .string(sha256), "bytes": .number(Double(bytes.count)), "content_type": .string(contentType)])
    }
}
