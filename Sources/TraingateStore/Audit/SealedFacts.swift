/// What a decision's sealed facts read as: open, or erased with their subject's key.
public enum SealedFacts: Sendable, Equatable {
    /// The entry seals nothing (not a decision, or written before audit format 2).
    case none
    /// The facts' canonical JSON bytes, opened with the subject's key.
    case open([UInt8])
    /// The subject was erased: its key is destroyed and the facts can never be read again.
    case erased

    /// Entry `seq`'s sealed facts opened with its subject's key, or erased when the key is gone.
    /// - Throws: `StoreError.corruptRecord` when they do not open under the key.
    package static func opening(_ sealed: [UInt8], with key: SubjectKey?, entry seq: Int64) throws -> SealedFacts {
        guard let key else { return .erased }
        do {
            return .open(try key.open(sealed))
        } catch {
            throw StoreError.corruptRecord("the facts of audit entry \(seq) do not open under their subject's key")
        }
    }
}
