import NIOCore
import Synchronization

/// The server's open HTTP/1.1 connections, and since when each has waited for a request (nil
/// while one is in hand). When every connection slot is taken, the one idle longest is closed
/// to make room: otherwise clients that open connections and send nothing hold every slot until
/// their idle timeout, and a new request (`/healthz` included) waits that long in the backlog.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        var idleSince: ContinuousClock.Instant?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    func opened(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: .now) }
    }

    func requestStarted(on channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.idleSince = nil }
    }

    func requestEnded(on channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.idleSince = .now }
    }

    func closed(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Closes the connection that has waited longest without a request; false when every
    /// connection has one in hand (then nothing is closed, and new ones wait their turn).
    @discardableResult
    func closeLongestIdle() -> Bool {
        let victim = entries.withLock { entries -> (any Channel)? in
            guard let (key, entry) = entries.filter({ $0.value.idleSince != nil }).min(by: { $0.value.idleSince! < $1.value.idleSince! })
            else { return nil }
            entries[key]?.idleSince = nil  // not chosen twice while it closes
            return entry.channel
        }
        victim?.close(promise: nil)
        return victim != nil
    }
}
