import Crypto
import Foundation
import StrictDocuments

/// An HMAC-SHA256 key for subject pseudonyms: the one way both subject references are made.
///
/// There are two, under two keys, because they must survive different things. The admission
/// row's `subject_ref` is keyed by the instance's master key: it finds a subject's rows, key and
/// objection whenever the subject comes back, so it must outlive any one subject's data. The
/// audit entry's `subject_ref` is keyed by the subject's own key (`SubjectKey.reference`):
/// destroying that key on erasure leaves the entries about the subject unlinkable to them,
/// while the chain over them still verifies.
///
/// The padded key blocks are hashed once: the lookup pseudonym is computed for every admission
/// under the same master key, and setting up the key cost as much as the MAC itself.
public struct PseudonymKey: Sendable {
    private let keyed: HMAC<SHA256>

    public init(_ key: SymmetricKey) {
        keyed = HMAC<SHA256>(key: key)
    }

    /// `hex(HMAC-SHA256(key, len(source) ‖ source ‖ len(subject_id) ‖ subject_id))`, lengths as
    /// 4-byte big-endian UTF-8 byte counts, so no choice of bytes in one field can imitate a
    /// split of the other: ("a\0b", "c") and ("a", "b\0c") get different pseudonyms.
    public func pseudonym(source: String, subjectID: String) -> String {
        var mac = keyed
        func add(_ field: String) {
            var field = field
            field.withUTF8 { bytes in
                withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { mac.update(data: $0) }
                mac.update(data: UnsafeRawBufferPointer(bytes))
            }
        }
        add(source)
        add(subjectID)
        return Hex.encode(mac.finalize())
    }
}
