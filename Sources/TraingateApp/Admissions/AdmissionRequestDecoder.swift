import Foundation
import Imaging
import Hummingbird
import NIOCore
import MultipartKit
import PolicyEngine
import StrictDocuments

/// Reads an admission request from JSON or multipart/form-data, bounded before parsing,
/// and reports every problem as problem+json naming the field.
struct AdmissionRequestDecoder: Sendable {
    let maxImageBytes: Int
    /// The route's body cap: the image in base64 plus the metadata.
    let maxBodyBytes: Int
    /// The metadata's own cap: the JSON but `image_base64`, or the `metadata` part.
    let maxMetadataBytes: Int
    /// Most parts of a multipart body.
    let maxParts: Int
    /// The service's clock: a notice dated after it is refused.
    let now: @Sendable () -> Date

    func decode(_ request: Request) async throws -> AdmissionRequest {
        let mediaType = MediaType(request.headers[.contentType])
        switch mediaType?.essence {
        case "application/json":
            let body = try await collect(request)
            let admission = try decodeJSON(body.readableBytesView, allowImageField: true, imageField: "image_base64")
            // The image's base64 is the only part of the body allowed to be large.
            let imageText = admission.image.map { ($0.count + 2) / 3 * 4 } ?? 0
            try checkMetadata(bytes: body.readableBytes - imageText, what: "The JSON body without image_base64")
            return admission
        case "multipart/form-data":
            guard let boundary = mediaType?.parameters["boundary"], !boundary.isEmpty else {
                throw ProblemDetails(.malformedBody, detail: "multipart/form-data needs a boundary parameter.")
            }
            return try decodeMultipart(try await collect(request), boundary: boundary)
        default:
            throw ProblemDetails(
                .unsupportedMediaType,
                detail: "Content-Type '\(request.headers[.contentType] ?? "none")' is not supported; "
                    + "send application/json or multipart/form-data.")
        }
    }

    /// Decodes one JSON body (also one NDJSON line).
    func decodeJSON(_ bytes: some Collection<UInt8>, allowImageField: Bool, imageField: String) throws -> AdmissionRequest {
        let json = try RequestBody.parseJSON(bytes)
        switch AdmissionRequestParser.parse(json, allowImageField: allowImageField, now: now()) {
        case .failure(let failure):
            throw ProblemDetails(validation: failure.errors)
        case .success(let request):
            if let image = request.image { try check(image: image, field: imageField) }
            return request
        }
    }

    private func decodeMultipart(_ body: ByteBuffer, boundary: String) throws -> AdmissionRequest {
        let parts = try MultipartParts.parse(body, boundary: boundary, maxParts: maxParts)
        var errors: [DocumentError] = []
        for name in parts.names where name != "metadata" && name != "image" {
            errors.append(DocumentError(path: name, message: "unknown part; send 'metadata' and optionally 'image'"))
        }
        for name in ["metadata", "image"] where parts.count(named: name) > 1 {
            errors.append(DocumentError(path: name, message: "part appears more than once"))
        }
        guard let metadata = parts.first(named: "metadata") else {
            errors.append(DocumentError(path: "metadata", message: "part is required"))
            throw ProblemDetails(validation: errors)
        }
        guard errors.isEmpty else { throw ProblemDetails(validation: errors) }
        try checkMetadata(bytes: metadata.readableBytes, what: "The metadata part")
        var request = try decodeJSON(metadata.readableBytesView, allowImageField: false, imageField: "image")
        if let image = parts.first(named: "image") {
            let bytes = Array(image.readableBytesView)
            guard !bytes.isEmpty else { throw ProblemDetails(validation: [DocumentError(path: "image", message: "is empty")]) }
            try check(image: bytes, field: "image")
            request.image = bytes
        }
        return request
    }

    private func check(image: [UInt8], field: String) throws {
        guard image.count <= maxImageBytes else {
            throw ProblemDetails(
                .payloadTooLarge, detail: "\(field) is \(image.count) bytes; the limit is \(maxImageBytes) bytes.",
                errors: [.init(field: field, message: "larger than \(maxImageBytes) bytes")], limit: .imageBytes)
        }
        guard ImageFormat.detect(image) != nil else {
            throw ProblemDetails(
                .unsupportedMediaType, detail: "\(field) is not a JPEG, PNG or WebP image (checked by its leading bytes).",
                errors: [.init(field: field, message: "not a JPEG, PNG or WebP image")])
        }
    }

    private func checkMetadata(bytes: Int, what: String) throws {
        guard bytes <= maxMetadataBytes else {
            throw ProblemDetails(
                .payloadTooLarge, detail: "\(what) is \(bytes) bytes; the limit is \(maxMetadataBytes) bytes (limits.max_metadata_bytes).",
                limit: .metadataBytes)
        }
    }

    private func collect(_ request: Request) async throws -> ByteBuffer {
        try await RequestBody.collect(request, limit: maxBodyBytes, setting: .imageBytes)
    }
}
