/// Waits for something another task does: polls `condition` every 5 ms and fails the test
/// after `seconds` instead of hanging it.
enum Eventually {
    static func wait(_ what: String, seconds: Int = 20, until condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("\(what): not within \(seconds) s") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
