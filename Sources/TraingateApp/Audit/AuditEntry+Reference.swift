import StrictDocuments
import TraingateStore

extension AuditEntry {
    /// `{"seq", "hash"}`: how an answer names the audit entry it was recorded under.
    var referenceJSON: JSONValue {
        .object(["seq": .integer(Int(seq)), "hash": .string(hash)])
    }
}
