extension Result where Failure == any Error {
    /// The outcome of an async throwing body, for task groups whose children must all run to
    /// their end whatever one of them throws.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
