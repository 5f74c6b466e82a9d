import Imaging
import StrictDocuments
import TraingateStore

extension ImageUpload {
    /// What intake keeps of an upload: the minimised copy, named by the original's SHA-256.
    init(intake: IntakeResult) {
        self.init(
            sha256: intake.sha256, contentType: ImageFormat.jpeg.mediaType, bytes: intake.stored, width: intake.storedWidth,
            height: intake.storedHeight, perceptualHash: intake.perceptualHash.value)
    }
}

extension StoredImageInfo {
    /// The `image` member of decision responses: the stored copy, and the original's SHA-256.
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "sha256": .string(sha256), "bytes": .number(Double(byteCount)), "content_type": .string(contentType),
        ]
        object["width"] = width.map { .number(Double($0)) } ?? .null
        object["height"] = height.map { .number(Double($0)) } ?? .null
        object["phash"] = perceptualHash.map { .string(PerceptualHash(value: $0).description) } ?? .null
        return .object(object)
    }
}
