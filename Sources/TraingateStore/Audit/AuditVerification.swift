/// The result of recomputing the whole chain and checking it against the anchored heads.
public struct AuditVerification: Sendable {
    public let ok: Bool
    /// Entries that verified before the first bad one (all of them when `ok`).
    public let entries: Int
    public let head: (seq: Int64, hash: String)?
    public let firstBadSeq: Int64?
    /// Anchors the log was checked against.
    public let anchorsChecked: Int
    /// What is wrong, in words (nil when `ok`).
    public let problem: String?

    init(
        ok: Bool, entries: Int, head: (seq: Int64, hash: String)?, firstBadSeq: Int64?, anchorsChecked: Int = 0,
        problem: String? = nil
    ) {
        self.ok = ok
        self.entries = entries
        self.head = head
        self.firstBadSeq = firstBadSeq
        self.anchorsChecked = anchorsChecked
        self.problem = problem
    }
}
