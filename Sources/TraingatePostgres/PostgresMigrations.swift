/// The PostgreSQL schema, as named steps applied in order once each (`schema_migration`
/// records them). The tables mean what SQLite's do after its migrations (docs/postgres.md):
/// the same columns in the same compact forms, so one audit format describes both.
enum PostgresMigrations {
    struct Migration {
        let identifier: String
        let statements: [String]
    }

    static let all: [Migration] = [auditChain]

    /// The hash-chained log. `audit_head` is the chain's single serialisation point: each group
    /// commit of every instance locks its one row, appends after it and moves it, so several
    /// gates on one database keep one chain with no fork and no gap.
    static let auditChain = Migration(
        identifier: "pg1-audit-chain",
        statements: [
            """
            CREATE FUNCTION traingate_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END
            $$
            """,
            """
            CREATE TABLE known_policy_version (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                version text NOT NULL UNIQUE)
            """,
            """
            CREATE TRIGGER known_policy_version_append_only BEFORE UPDATE OR DELETE ON known_policy_version
                FOR EACH ROW EXECUTE FUNCTION traingate_refuse_change()
            """,
            """
            CREATE TRIGGER known_policy_version_no_truncate BEFORE TRUNCATE ON known_policy_version
                FOR EACH STATEMENT EXECUTE FUNCTION traingate_refuse_change()
            """,
            // prev_hash is NULL when it is the hash of the entry before (as in SQLite's compact form).
            """
            CREATE TABLE audit_entry (
                seq bigint PRIMARY KEY,
                v integer NOT NULL,
                at text NOT NULL,
                kind text NOT NULL,
                admission_id text,
                decision text,
                reason_codes text NOT NULL,
                policy_version bigint REFERENCES known_policy_version(id),
                subject_ref bytea,
                sealed bytea,
                details text,
                prev_hash bytea,
                hash bytea NOT NULL)
            """,
            "CREATE INDEX audit_entry_kind ON audit_entry (kind, seq) WHERE kind <> 'decision'",
            """
            CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
                FOR EACH ROW EXECUTE FUNCTION traingate_refuse_change()
            """,
            """
            CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
                FOR EACH STATEMENT EXECUTE FUNCTION traingate_refuse_change()
            """,
            """
            CREATE TABLE audit_head (
                one boolean PRIMARY KEY DEFAULT true CHECK (one),
                seq bigint NOT NULL,
                hash bytea NOT NULL)
            """,
            "INSERT INTO audit_head (seq, hash) VALUES (0, decode(repeat('00', 32), 'hex'))",
        ])
}
