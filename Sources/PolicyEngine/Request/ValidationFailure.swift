import StrictDocuments

/// Every problem found in a request, each naming its field.
public struct ValidationFailure: Error, Hashable, Sendable {
    public let errors: [DocumentError]

    public init(errors: [DocumentError]) {
        self.errors = errors
    }
}
