import Foundation
import GRDB
import StrictDocuments

/// The lookup pseudonym as the database holds it since migration v12: the 32 bytes its 64 hex
/// digits spell (the `subject_ref` of admissions and objections, the `lookup` of subject keys).
/// The rest of traingate, and the subject key's wrapping, keep using the hex text.
struct StoredLookup: DatabaseValueConvertible {
    let hex: String
    /// Decoded once: a decision binds it in up to three statements.
    let databaseValue: DatabaseValue

    /// Text that is not hex (never made by `PseudonymKey`) is stored as it is, so it still
    /// finds only itself.
    init(_ hex: String) {
        self.hex = hex
        databaseValue = Hex.decode(hex).map { Data($0).databaseValue } ?? hex.databaseValue
    }

    static func fromDatabaseValue(_ value: DatabaseValue) -> StoredLookup? {
        switch value.storage {
        case .blob(let bytes): StoredLookup(Hex.encode(bytes))
        case .string(let text): StoredLookup(text)
        default: nil
        }
    }
}
