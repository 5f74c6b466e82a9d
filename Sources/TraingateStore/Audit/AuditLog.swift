import Foundation
import GRDB
import StrictDocuments

/// Appends to and reads the audit chain. Appends happen inside the caller's write transaction,
/// so an entry commits together with the state change it records.
public enum AuditLog {
    /// Appends one entry after the current head. Must run inside a write transaction; the
    /// database serialises writers, so the chain cannot fork.
    static func append(
        _ kind: AuditEntry.Kind, at: String, admissionID: String? = nil, decision: String? = nil,
        reasonCodes: [String] = [], policyVersion: String? = nil, subjectRef: String? = nil, in db: Database
    ) throws -> AuditEntry {
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"))
            .map { (seq: $0["seq"] as Int64, hash: $0["hash"] as String) }
        let content = AuditChain.Content(
            seq: (head?.seq ?? 0) + 1, at: at, kind: kind, admissionID: admissionID, decision: decision,
            reasonCodes: reasonCodes, policyVersion: policyVersion, subjectRef: subjectRef)
        let entry = AuditChain.entry(after: head, content: content)
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_entry (seq, at, kind, admission_id, decision, reason_codes, policy_version,
                    subject_ref, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                entry.seq, entry.at, entry.kind.rawValue, entry.admissionID, entry.decision,
                JSONText.encode(.array(entry.reasonCodes.map(JSONValue.string))), entry.policyVersion, entry.subjectRef, entry.prevHash, entry.hash,
            ])
        return entry
    }

    /// Entries in `seq` order starting after `after`.
    public static func entries(after: Int64, limit: Int, in db: Database) throws -> [AuditEntry] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after, limit]
        ).map(entry(from:))
    }

    /// Recomputes every hash from the stored fields; the first entry that does not link is reported.
    public static func verify(in db: Database) throws -> AuditVerification {
        var previous: (seq: Int64, hash: String)?
        var count = 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_entry ORDER BY seq")
        while let row = try cursor.next() {
            let stored = entry(from: row)
            let expectedSeq = (previous?.seq ?? 0) + 1
            let recomputed = AuditChain.entry(
                after: previous,
                content: .init(
                    seq: stored.seq, at: stored.at, kind: stored.kind, admissionID: stored.admissionID,
                    decision: stored.decision, reasonCodes: stored.reasonCodes, policyVersion: stored.policyVersion,
                    subjectRef: stored.subjectRef))
            guard stored.seq == expectedSeq, stored.prevHash == recomputed.prevHash, stored.hash == recomputed.hash else {
                return AuditVerification(ok: false, entries: count, head: previous, firstBadSeq: stored.seq)
            }
            previous = (stored.seq, stored.hash)
            count += 1
        }
        return AuditVerification(ok: true, entries: count, head: previous, firstBadSeq: nil)
    }

    static func entry(from row: Row) -> AuditEntry {
        AuditEntry(
            seq: row["seq"], at: row["at"], kind: AuditEntry.Kind(rawValue: row["kind"]) ?? .decision,
            admissionID: row["admission_id"], decision: row["decision"],
            reasonCodes: JSONText.decode([String].self, from: row["reason_codes"]) ?? [],
            policyVersion: row["policy_version"], subjectRef: row["subject_ref"], prevHash: row["prev_hash"],
            hash: row["hash"])
    }
}
