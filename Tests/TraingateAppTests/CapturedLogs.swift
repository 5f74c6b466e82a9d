import Logging
import Synchronization

/// Keeps every log record's message and request id, for tests that check what was logged.
final class CapturedLogs: Sendable {
    let records = Mutex<[(message: String, requestID: String?)]>([])

    var logger: Logger {
        var logger = Logger(label: "captured") { _ in CapturingLogHandler(logs: self) }
        logger.logLevel = .info
        return logger
    }

    /// How many records have exactly this message.
    func count(_ message: String) -> Int {
        records.withLock { $0.filter { $0.message == message }.count }
    }
}
