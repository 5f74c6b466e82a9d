import Foundation
import StrictDocuments

/// Hashes and pseudonyms are hex in traingate's API and bytes in its database (migration v12).
enum HexColumn {
    /// The bytes `hex` spells, as bound to a BLOB column; a value that is not hex is a bug in
    /// the caller (traingate makes every one of them).
    static func bytes(of hex: String, field: String) throws -> Data {
        guard let bytes = Hex.decode(hex) else { throw StoreError.corruptRecord("the \(field) is not hex") }
        return Data(bytes)
    }
}
