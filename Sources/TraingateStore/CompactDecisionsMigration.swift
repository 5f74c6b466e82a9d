import Foundation
import GRDB
import StrictDocuments

/// Migration v12: each decision stored in about half the bytes (docs/benchmarks.md, "Bytes per
/// decision"), with the audit's canonical bytes unchanged, so every existing chain verifies.
///
/// - Audit entries keep hashes and subject pseudonyms as 32-byte blobs instead of 64 hex
///   digits, name their policy version by a small integer (`known_policy_version`), and store
///   no `prev_hash` when it is the hash of the entry before (always, for an intact log): it is
///   read from that entry. A `prev_hash` that differs is kept, as the evidence it is.
/// - Admissions are keyed by their audit seq (the row id: no separate unique index), keep
///   their request hash and the lookup pseudonym (as objections and subject keys do) as blobs, share identical reason lists (`reason_list`), and no longer
///   copy what their audit entry holds (its hash, time and policy version).
/// - The index by kind leaves out decisions, nearly every entry: reads of one other kind use it,
///   and decisions are read in seq order anyway.
///
/// Values that are not what traingate writes (text that is not lower-case hex, say) are copied
/// as they are, never fixed: verification must still see an edit made before the migration.
enum CompactDecisionsMigration {
    static func migrate(_ db: Database) throws {
        db.add(function: lowerHexToBlob)
        try db.execute(
            sql: """
                CREATE TABLE known_policy_version (
                    id INTEGER PRIMARY KEY NOT NULL,
                    version TEXT NOT NULL UNIQUE
                );
                CREATE TRIGGER known_policy_version_no_update BEFORE UPDATE ON known_policy_version
                    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                CREATE TRIGGER known_policy_version_no_delete BEFORE DELETE ON known_policy_version
                    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                INSERT OR IGNORE INTO known_policy_version (version)
                    SELECT policy_version FROM audit_entry WHERE typeof(policy_version) = 'text' ORDER BY seq;

                CREATE TABLE audit_entry_compact (
                    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq > 0),
                    v INTEGER NOT NULL DEFAULT 1,
                    at TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    admission_id TEXT,
                    decision TEXT,
                    reason_codes TEXT NOT NULL,
                    policy_version INTEGER,
                    subject_ref BLOB,
                    sealed BLOB,
                    details TEXT,
                    prev_hash BLOB,
                    hash BLOB NOT NULL
                );
                INSERT INTO audit_entry_compact
                    SELECT seq, v, at, kind, admission_id, decision, reason_codes,
                        CASE typeof(policy_version) WHEN 'text'
                            THEN (SELECT id FROM known_policy_version WHERE version = policy_version) ELSE policy_version END,
                        traingate_lower_hex_to_blob(subject_ref), sealed, details,
                        CASE WHEN prev_hash IS coalesce(
                                CASE WHEN seq = 1 THEN '\(AuditChain.genesisHash)' END,
                                (SELECT b.hash FROM audit_entry b WHERE b.seq = audit_entry.seq - 1))
                            THEN NULL ELSE traingate_lower_hex_to_blob(prev_hash) END,
                        traingate_lower_hex_to_blob(hash)
                    FROM audit_entry ORDER BY seq;
                DROP TABLE audit_entry;
                ALTER TABLE audit_entry_compact RENAME TO audit_entry;
                CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
                    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                CREATE INDEX audit_entry_kind ON audit_entry(kind, seq) WHERE kind <> 'decision';

                CREATE TABLE reason_list (
                    id INTEGER PRIMARY KEY NOT NULL,
                    reasons TEXT NOT NULL UNIQUE
                );
                -- Rows refer to a list by id, and the writer remembers committed ids.
                CREATE TRIGGER reason_list_no_update BEFORE UPDATE ON reason_list
                    BEGIN SELECT RAISE(ABORT, 'reason lists are append-only'); END;
                CREATE TRIGGER reason_list_no_delete BEFORE DELETE ON reason_list
                    BEGIN SELECT RAISE(ABORT, 'reason lists are append-only'); END;
                INSERT OR IGNORE INTO reason_list (reasons) SELECT reasons FROM admission ORDER BY audit_seq;

                CREATE TABLE admission_compact (
                    audit_seq INTEGER PRIMARY KEY NOT NULL REFERENCES audit_entry(seq),
                    id TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    image_id TEXT NOT NULL,
                    subject_ref BLOB NOT NULL,
                    request_hash BLOB NOT NULL,
                    decision TEXT NOT NULL CHECK (decision IN ('admitted', 'rejected')),
                    reasons INTEGER NOT NULL,
                    jurisdictions TEXT NOT NULL,
                    signals TEXT NOT NULL,
                    policy_id TEXT NOT NULL,
                    queued INTEGER NOT NULL CHECK (queued IN (0, 1)),
                    image_sha256 TEXT REFERENCES image(sha256),
                    superseded_by TEXT REFERENCES admission(id) DEFERRABLE INITIALLY DEFERRED,
                    api_key TEXT,
                    erased_at TEXT
                );
                INSERT INTO admission_compact
                    SELECT audit_seq, id, source, image_id, traingate_lower_hex_to_blob(subject_ref), traingate_lower_hex_to_blob(request_hash), decision,
                        (SELECT r.id FROM reason_list r WHERE r.reasons = admission.reasons), jurisdictions, signals, policy_id,
                        queued, image_sha256, superseded_by, api_key, erased_at
                    FROM admission ORDER BY audit_seq;
                DROP TABLE admission;
                ALTER TABLE admission_compact RENAME TO admission;
                CREATE UNIQUE INDEX admission_current_key ON admission(source, image_id) WHERE superseded_by IS NULL;
                CREATE INDEX admission_subject ON admission(subject_ref);
                CREATE INDEX image_sha256_admission ON admission(image_sha256) WHERE image_sha256 IS NOT NULL;

                CREATE TABLE objection_compact (
                    subject_ref BLOB PRIMARY KEY NOT NULL,
                    registered_at TEXT NOT NULL
                );
                INSERT INTO objection_compact SELECT traingate_lower_hex_to_blob(subject_ref), registered_at FROM objection;
                DROP TABLE objection;
                ALTER TABLE objection_compact RENAME TO objection;

                CREATE TABLE subject_key_compact (
                    lookup BLOB PRIMARY KEY NOT NULL,
                    wrapped BLOB NOT NULL,
                    created_at TEXT NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO subject_key_compact SELECT traingate_lower_hex_to_blob(lookup), wrapped, created_at FROM subject_key;
                DROP TABLE subject_key;
                ALTER TABLE subject_key_compact RENAME TO subject_key;
                """)
    }

    /// Lower-case hex text as the bytes it spells; anything else (NULL, other text, other
    /// types) unchanged. SQLite's own `unhex` came with 3.41, after the 3.40 Debian 12 ships.
    private static let lowerHexToBlob = DatabaseFunction("traingate_lower_hex_to_blob", argumentCount: 1, pure: true) { values in
        let value = values[0]
        guard case .string(let text) = value.storage, !text.isEmpty, text == text.lowercased(), let bytes = Hex.decode(text) else {
            return value
        }
        return Data(bytes)
    }
}
