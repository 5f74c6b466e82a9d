import Crypto
import Synchronization

/// Bucket keys unwrapped, by bucket, with the wrapped bytes they came from: a rotation by any
/// instance changes those bytes, and the next read unwraps the new key.
final class PostgresBucketKeyCache: Sendable {
    private let keys = Mutex<[Int32: (wrapped: [UInt8], key: SymmetricKey)]>([:])

    func key(_ bucket: Int32, wrapped: [UInt8]) -> SymmetricKey? {
        keys.withLock { keys in keys[bucket].flatMap { $0.wrapped == wrapped ? $0.key : nil } }
    }

    func remember(_ bucket: Int32, wrapped: [UInt8], key: SymmetricKey) {
        keys.withLock { $0[bucket] = (wrapped, key) }
    }
}
