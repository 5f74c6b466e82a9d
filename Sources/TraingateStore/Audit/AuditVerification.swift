/// The result of recomputing the whole chain.
public struct AuditVerification: Sendable {
    public let ok: Bool
    /// Entries that verified before the first bad one (all of them when `ok`).
    public let entries: Int
    public let head: (seq: Int64, hash: String)?
    public let firstBadSeq: Int64?
}
