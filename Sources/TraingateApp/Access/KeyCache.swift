import Foundation
import Synchronization
import TraingateStore

/// The keys the server accepts, in memory: a request is checked without touching the database.
/// `KeyRefresher` re-reads them every half second, so a key created or revoked by
/// `traingate keys` works (or stops working) on a running server within a second. Uses are
/// remembered here and written back by the refresher, not by each request.
final class KeyCache: Sendable {
    private struct State {
        /// Unrevoked keys by their public key id.
        var byKeyID: [String: APIKey] = [:]
        /// Whether any key was ever created: until then the server runs in development mode.
        var anyKeyCreated = false
        var lastUsed: [String: Date] = [:]
    }

    private let state = Mutex(State())
    let store: any APIKeyStoring

    /// - Parameter keys: the keys as read at start.
    init(store: any APIKeyStoring, keys: [APIKey]) {
        self.store = store
        replace(with: keys)
    }

    /// Development mode: no key was ever created, so every route is open (the server then binds
    /// loopback only). Revoking every key does not reopen the door.
    var isDevelopmentMode: Bool { state.withLock { !$0.anyKeyCreated } }

    /// The caller a presented key stands for, or nil for a key that is unknown, revoked, expired
    /// or of another shape; the caller cannot tell which.
    func caller(presenting token: String, at date: Date) -> Caller? {
        guard let text = APIKeyText(presented: token) else { return nil }
        return state.withLock { (state: inout State) -> Caller? in
            guard let key = state.byKeyID[text.keyID], text.matches(digest: key.digest), key.isUsable(at: date),
                let role = APIRole(rawValue: key.role)
            else { return nil }
            state.lastUsed[key.name] = date
            return Caller(keyName: key.name, role: role)
        }
    }

    /// Reads the keys again; returns whether development mode just ended.
    @discardableResult
    func reload() async throws -> Bool {
        replace(with: try await store.all())
    }

    @discardableResult
    private func replace(with keys: [APIKey]) -> Bool {
        let unrevoked = Dictionary(uniqueKeysWithValues: keys.filter { $0.revokedAt == nil }.map { ($0.keyID, $0) })
        return state.withLock { state in
            let wasOpen = !state.anyKeyCreated
            state.byKeyID = unrevoked
            state.anyKeyCreated = !keys.isEmpty
            return wasOpen && state.anyKeyCreated
        }
    }

    /// The uses since the last call, to be written back.
    func takeUses() -> [String: Date] {
        state.withLock { state in
            defer { state.lastUsed = [:] }
            return state.lastUsed
        }
    }
}
