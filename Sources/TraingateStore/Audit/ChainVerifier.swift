/// Checks a chain entry by entry, in `seq` order, against the hashes recomputed from the
/// fields and against the anchored heads. Storage-independent: SQLite's `AuditLog.verify` and
/// PostgreSQL's reader feed it the entries they decode, so both report a break the same way.
package struct ChainVerifier {
    private var anchored: [Int64: AuditAnchorFile.Anchor] = [:]
    private let lastAnchor: AuditAnchorFile.Anchor?
    private var previous: (seq: Int64, hash: String)?
    private var count = 0
    private var checked = 0

    package init(anchors: [AuditAnchorFile.Anchor] = []) {
        for anchor in anchors { anchored[anchor.seq] = anchor }
        lastAnchor = anchors.max { $0.seq < $1.seq }
    }

    /// The last entry checked (nil before the first).
    package var head: (seq: Int64, hash: String)? { previous }

    /// The `seq` the next entry must have.
    package var expectedSeq: Int64 { (previous?.seq ?? 0) + 1 }

    /// Checks the next stored entry; the failed verification when it breaks the chain.
    package mutating func check(_ stored: AuditEntry) -> AuditVerification? {
        guard stored.seq == expectedSeq else {
            return broken(at: expectedSeq, "seq \(expectedSeq) is missing (the next entry is seq \(stored.seq))")
        }
        let recomputed = AuditChain.entry(after: previous, content: stored.content)
        guard stored.prevHash == recomputed.prevHash else {
            return broken(at: stored.seq, "prev_hash does not match the hash of the entry before")
        }
        guard stored.hash == recomputed.hash else { return broken(at: stored.seq, "the fields do not hash to the stored hash") }
        if let anchor = anchored[stored.seq] {
            guard anchor.hash == stored.hash else {
                return broken(at: stored.seq, "differs from its anchor of \(anchor.at): the log was rewritten from here on")
            }
            checked += 1
        }
        previous = (stored.seq, stored.hash)
        count += 1
        return nil
    }

    /// A row that does not decode as an entry (edited outside traingate), at `seq` when it has one.
    package func undecodable(at seq: Int64?) -> AuditVerification {
        broken(at: seq ?? expectedSeq, "a column does not decode")
    }

    /// The verdict once every entry was checked: the log must reach its newest anchor.
    package func finish() -> AuditVerification {
        if let lastAnchor, lastAnchor.seq > (previous?.seq ?? 0) {
            return broken(
                at: expectedSeq,
                "the log ends at seq \(previous?.seq ?? 0) but seq \(lastAnchor.seq) was anchored at \(lastAnchor.at): entries were removed")
        }
        return AuditVerification(ok: true, entries: count, head: previous, firstBadSeq: nil, anchorsChecked: checked)
    }

    package func broken(at seq: Int64, _ problem: String) -> AuditVerification {
        AuditVerification(ok: false, entries: count, head: previous, firstBadSeq: seq, anchorsChecked: checked, problem: problem)
    }
}
