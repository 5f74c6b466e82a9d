import Imaging

extension ProblemDetails {
    /// An image refused by intake: 415 for what is not an image, 413 for a limit (named in the
    /// message), 422 for data its codec cannot decode.
    init(imageIntake error: ImageIntakeError) {
        let kind: ProblemKind =
            switch error {
            case .unsupportedFormat: .unsupportedMediaType
            case .tooManyBytes, .tooManyPixels, .exifTooLarge: .payloadTooLarge
            case .undecodable: .undecodableImage
            }
        let limit: RequestLimit? =
            switch error {
            case .tooManyBytes: .imageBytes
            case .tooManyPixels, .exifTooLarge: .imageContent
            case .unsupportedFormat, .undecodable: nil
            }
        self.init(
            kind, detail: "The image was refused: \(error.message).", errors: [.init(field: "image", message: error.message)], limit: limit)
    }
}
