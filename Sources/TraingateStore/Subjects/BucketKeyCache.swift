import Crypto
import Synchronization

/// Keys that wrap subject keys, unwrapped, by bucket (PostgreSQL's `key_bucket`), with the
/// wrapped bytes each came from: a rotation by any instance changes those bytes, and the next
/// read that stores here unwraps the new key. One per keyring, so one per process: a rotated
/// key leaves memory once, not once per store that read it.
///
/// Only readers that hold the chain head's lock store here (erasure, which rotates, takes it
/// too): what they read cannot have been rotated before they store it. Others only look.
package final class BucketKeyCache: Sendable {
    private let keys = Mutex<[Int32: (wrapped: [UInt8], key: SymmetricKey)]>([:])

    package init() {}

    package func key(_ bucket: Int32, wrapped: [UInt8]) -> SymmetricKey? {
        keys.withLock { keys in keys[bucket].flatMap { $0.wrapped == wrapped ? $0.key : nil } }
    }

    package func remember(_ bucket: Int32, wrapped: [UInt8], key: SymmetricKey) {
        keys.withLock { $0[bucket] = (wrapped, key) }
    }

    /// After another instance rotated the bucket: its old key leaves this one's memory too.
    package func forget(_ bucket: Int32) {
        keys.withLock { $0[bucket] = nil }
    }

    package func forgetAll() {
        keys.withLock { $0.removeAll() }
    }

    package func contains(_ bucket: Int32) -> Bool { keys.withLock { $0[bucket] != nil } }
}
