/// What a decision's sealed facts read as: open, or erased with their subject's key.
public enum SealedFacts: Sendable, Equatable {
    /// The entry seals nothing (not a decision, or written before audit format 2).
    case none
    /// The facts' canonical JSON bytes, opened with the subject's key.
    case open([UInt8])
    /// The subject was erased: its key is destroyed and the facts can never be read again.
    case erased
}
