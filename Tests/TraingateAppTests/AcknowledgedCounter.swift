import Synchronization

/// Counts acknowledged requests across tasks.
final class AcknowledgedCounter: Sendable {
    private let storage = Mutex<Set<String>>([])
    var ids: Set<String> { storage.withLock { $0 } }

    /// Records the admission id named in a raw 201 response's Location header.
    func add(_ rawResponse: String) {
        guard let range = rawResponse.range(of: "Location: /v1/admissions/") else { return }
        let id = rawResponse[range.upperBound...].prefix { !$0.isWhitespace }
        storage.withLock { _ = $0.insert(String(id)) }
    }
}
