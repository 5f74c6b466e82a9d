/// SQL that reads the compact columns of migration v12 back as the values the API and the
/// audit format name: hashes and pseudonyms as lower-case hex, policy versions and reason
/// lists as their text. A value of another type than traingate writes (an edit made outside
/// it) comes back unchanged, so the strict readers still see it for what it is.
enum CompactColumns {
    /// A blob column as lower-case hex.
    static func hex(_ column: String) -> String {
        "CASE typeof(\(column)) WHEN 'blob' THEN lower(hex(\(column))) ELSE \(column) END"
    }

    /// An audit entry's policy version reference as the version's text.
    static func policyVersion(_ column: String) -> String {
        "CASE typeof(\(column)) WHEN 'integer' THEN (SELECT k.version FROM known_policy_version k WHERE k.id = \(column)) ELSE \(column) END"
    }

    /// An admission's reason list reference as the list's JSON text. `column` must be qualified
    /// by its table: inside the subquery a bare name would be reason_list's own column.
    static func reasons(_ column: String) -> String {
        "CASE typeof(\(column)) WHEN 'integer' THEN (SELECT r.reasons FROM reason_list r WHERE r.id = \(column)) ELSE \(column) END"
    }

    /// An audit entry's `prev_hash`: the stored one (kept only where it differs), else the hash
    /// of the entry before, else (seq 1, or the entry before is missing) the genesis hash.
    static func prevHash(of entry: String) -> String {
        hex(
            """
            coalesce(\(entry).prev_hash, (SELECT b.hash FROM audit_entry b WHERE b.seq = \(entry).seq - 1), zeroblob(32))
            """)
    }

    /// Every audit column under its documented name, from `audit_entry` aliased `e`.
    static let auditEntry = """
        e.seq, e.v, e.at, e.kind, e.admission_id, e.decision, e.reason_codes,
        \(policyVersion("e.policy_version")) AS policy_version, \(hex("e.subject_ref")) AS subject_ref,
        e.sealed, e.details, \(prevHash(of: "e")) AS prev_hash, \(hex("e.hash")) AS hash
        """
}
