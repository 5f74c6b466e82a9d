import Hummingbird

/// The catalogue of problem types: one place for their URIs, titles and statuses (docs/errors.md).
enum ProblemKind {
    case validation
    case malformedBody
    case malformedRequest
    case unauthorized
    case forbidden
    case rateLimited
    case busy
    case notFound
    case conflict
    case methodNotAllowed
    case payloadTooLarge
    case unsupportedMediaType
    case undecodableImage
    case storageUnavailable
    case notReady
    case internalError
    case http(HTTPResponse.Status)

    var typeURI: String {
        let base = "https://traingate.dev/problems/"
        return switch self {
        case .validation: base + "validation"
        case .malformedBody: base + "malformed-body"
        case .malformedRequest: base + "malformed-request"
        case .unauthorized: base + "unauthorized"
        case .forbidden: base + "forbidden"
        case .rateLimited: base + "rate-limited"
        case .busy: base + "busy"
        case .notFound: base + "not-found"
        case .conflict: base + "conflict"
        case .methodNotAllowed: base + "method-not-allowed"
        case .payloadTooLarge: base + "payload-too-large"
        case .unsupportedMediaType: base + "unsupported-media-type"
        case .undecodableImage: base + "undecodable-image"
        case .storageUnavailable: base + "storage-unavailable"
        case .notReady: base + "not-ready"
        case .internalError: base + "internal-error"
        case .http: "about:blank"
        }
    }

    var title: String {
        switch self {
        case .validation: "The request has invalid fields"
        case .malformedBody: "The request body could not be read"
        case .malformedRequest: "The request's HTTP framing is invalid"
        case .unauthorized: "A valid API key is required"
        case .forbidden: "The key's role may not call this route"
        case .rateLimited: "Too many requests for this key"
        case .busy: "Too many requests in flight"
        case .notFound: "Not found"
        case .conflict: "The request conflicts with the resource's current state"
        case .methodNotAllowed: "Method not allowed"
        case .payloadTooLarge: "Payload too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .undecodableImage: "The image cannot be decoded"
        case .storageUnavailable: "Storage unavailable; nothing was recorded"
        case .notReady: "Not ready"
        case .internalError: "Internal server error"
        case .http(let status): status.reasonPhrase
        }
    }

    var status: HTTPResponse.Status {
        switch self {
        case .validation, .malformedBody, .malformedRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .rateLimited: .tooManyRequests
        case .busy: .serviceUnavailable
        case .notFound: .notFound
        case .conflict: .conflict
        case .methodNotAllowed: .methodNotAllowed
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .undecodableImage: .unprocessableContent
        case .storageUnavailable, .notReady: .serviceUnavailable
        case .internalError: .internalServerError
        case .http(let status): status
        }
    }
}
