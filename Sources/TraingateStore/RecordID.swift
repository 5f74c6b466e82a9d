import Crypto
import Foundation
import StrictDocuments

/// Identifiers of stored records: a prefix naming the kind (`adm`, `job`, `ckpt`), then a 48-bit
/// millisecond timestamp and 80 random bits in hex. Unguessable, yet ordered by time, so each new
/// row lands at the right edge of its primary-key B-tree instead of on a random page (random
/// keys dirtied a page per admission in every group commit).
public enum RecordID {
    public static func make(_ prefix: String, now: Date = Date()) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let time = (0..<6).reversed().map { UInt8(truncatingIfNeeded: millis >> (8 * UInt64($0))) }
        let random = SymmetricKey(size: SymmetricKeySize(bitCount: 80)).withUnsafeBytes { Array($0) }
        return prefix + "_" + Hex.encode(time + random)
    }
}
