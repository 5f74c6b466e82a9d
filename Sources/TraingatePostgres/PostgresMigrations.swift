/// The PostgreSQL schema, as named steps applied in order once each (`schema_migration`
/// records them). The tables mean what SQLite's do after its migrations (docs/postgres.md):
/// the same columns in the same compact forms, so one audit format describes both.
enum PostgresMigrations {
    struct Migration {
        let identifier: String
        let statements: [String]
    }

    static let all: [Migration] = [auditChain, admissions, apiKeys, training, instances, sealedStorage, keysOutOfStatistics, sealsBoundToRows]

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

    /// Decisions, the images kept with them, the training queue, and what a decision reads
    /// about its subject (objection, key) and its content (erased, near-duplicates by the four
    /// 16-bit bands of its perceptual hash). An erased admission keeps no pseudonym and no
    /// request hash: NULL there means erased (SQLite writes the text `erased`).
    static let admissions = Migration(
        identifier: "pg2-admissions",
        statements: [
            """
            CREATE TABLE image (
                sha256 text PRIMARY KEY CHECK (length(sha256) = 64),
                content_type text NOT NULL,
                byte_count integer NOT NULL CHECK (byte_count > 0),
                bytes bytea NOT NULL,
                width integer,
                height integer,
                phash bigint, phash_b0 bigint, phash_b1 bigint, phash_b2 bigint, phash_b3 bigint)
            """,
            """
            CREATE TABLE erased_content (
                sha256 text PRIMARY KEY,
                erased_at text NOT NULL,
                phash bigint, phash_b0 bigint, phash_b1 bigint, phash_b2 bigint, phash_b3 bigint)
            """,
            """
            CREATE TABLE reason_list (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                reasons text NOT NULL UNIQUE)
            """,
            """
            CREATE TRIGGER reason_list_append_only BEFORE UPDATE OR DELETE ON reason_list
                FOR EACH ROW EXECUTE FUNCTION traingate_refuse_change()
            """,
            """
            CREATE TABLE admission (
                audit_seq bigint PRIMARY KEY REFERENCES audit_entry(seq),
                id text NOT NULL UNIQUE,
                source text NOT NULL,
                image_id text NOT NULL,
                subject_ref bytea,
                request_hash bytea,
                decision text NOT NULL CHECK (decision IN ('admitted', 'rejected')),
                reasons bigint NOT NULL REFERENCES reason_list(id),
                jurisdictions text NOT NULL,
                signals text NOT NULL,
                policy_id text NOT NULL,
                queued boolean NOT NULL,
                image_sha256 text REFERENCES image(sha256),
                superseded_by text REFERENCES admission(id) DEFERRABLE INITIALLY DEFERRED,
                api_key text,
                erased_at text)
            """,
            "CREATE UNIQUE INDEX admission_current_key ON admission (source, image_id) WHERE superseded_by IS NULL",
            "CREATE INDEX admission_subject ON admission (subject_ref)",
            "CREATE INDEX image_sha256_admission ON admission (image_sha256) WHERE image_sha256 IS NOT NULL",
            """
            CREATE TABLE queue_item (
                admission_id text PRIMARY KEY REFERENCES admission(id),
                source text NOT NULL,
                image_id text NOT NULL,
                image_sha256 text NOT NULL REFERENCES image(sha256),
                enqueued_at text NOT NULL,
                UNIQUE (source, image_id))
            """,
            "CREATE INDEX queue_item_image ON queue_item (image_sha256)",
            "CREATE TABLE objection (subject_ref bytea PRIMARY KEY, registered_at text NOT NULL)",
            "CREATE TABLE subject_key (lookup bytea PRIMARY KEY, wrapped bytea NOT NULL, created_at text NOT NULL)",
            // Moved on whenever items leave the queue for a subject's sake (running jobs re-check).
            "CREATE TABLE queue_removals (one boolean PRIMARY KEY DEFAULT true CHECK (one), generation bigint NOT NULL)",
            "INSERT INTO queue_removals (generation) VALUES (0)",
        ]
            + ["image", "erased_content"].flatMap { table in
                (0..<4).map { "CREATE INDEX \(table)_phash_b\($0) ON \(table) (phash_b\($0))" }
            })

    /// API keys: only each key's SHA-256 is stored. `position` keeps the order of creation.
    static let apiKeys = Migration(
        identifier: "pg3-api-keys",
        statements: [
            """
            CREATE TABLE api_key (
                position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                name text PRIMARY KEY,
                role text NOT NULL CHECK (role IN ('submitter', 'auditor', 'trainer', 'dpo', 'admin')),
                key_id text NOT NULL UNIQUE,
                digest bytea NOT NULL CHECK (length(digest) = 32),
                created_at text NOT NULL,
                expires_at text,
                revoked_at text,
                last_used_at text)
            """
        ])

    /// Training jobs, their checkpoints, which admissions trained each (lineage) and the
    /// embeddings they left.
    static let training = Migration(
        identifier: "pg4-training",
        statements: [
            """
            CREATE TABLE training_job (
                id text PRIMARY KEY,
                position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
                parameters text NOT NULL,
                epoch integer NOT NULL DEFAULT 0,
                step integer NOT NULL DEFAULT 0,
                total_steps integer NOT NULL DEFAULT 0,
                loss double precision,
                images integer NOT NULL DEFAULT 0,
                created_at text NOT NULL,
                started_at text,
                finished_at text,
                checkpoint_id text,
                error text,
                api_key text)
            """,
            "CREATE INDEX training_job_status ON training_job (status, position)",
            """
            CREATE TABLE checkpoint (
                id text PRIMARY KEY,
                job_id text NOT NULL UNIQUE REFERENCES training_job(id),
                created_at text NOT NULL,
                format integer NOT NULL,
                parameters text NOT NULL,
                weights bytea NOT NULL,
                embedding_dim integer NOT NULL,
                images integer NOT NULL,
                policy_versions text NOT NULL,
                erased_items integer NOT NULL DEFAULT 0,
                objected_items integer NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE checkpoint_lineage (
                checkpoint_id text NOT NULL REFERENCES checkpoint(id),
                admission_id text NOT NULL,
                image_sha256 text NOT NULL,
                policy_version text NOT NULL,
                epochs integer NOT NULL,
                PRIMARY KEY (checkpoint_id, admission_id))
            """,
            "CREATE INDEX checkpoint_lineage_admission ON checkpoint_lineage (admission_id)",
            """
            CREATE TABLE embedding (
                admission_id text NOT NULL,
                checkpoint_id text NOT NULL REFERENCES checkpoint(id),
                vector bytea NOT NULL,
                PRIMARY KEY (admission_id, checkpoint_id))
            """,
            "CREATE INDEX embedding_checkpoint ON embedding (checkpoint_id)",
        ])

    /// What the server needs beside the data: the pseudonym key's envelope after a master-key
    /// rotation (as SQLite's `key_envelope`), the row `/readyz` rewrites to prove the database
    /// takes writes, and cancel requests for a running job, which any instance may receive
    /// while only the training lead runs it.
    static let instances = Migration(
        identifier: "pg5-instances",
        statements: [
            "CREATE TABLE key_envelope (name text PRIMARY KEY, sealed bytea NOT NULL, sealed_at text NOT NULL)",
            "CREATE TABLE readiness_probe (id integer PRIMARY KEY CHECK (id = 1), at text NOT NULL)",
            "ALTER TABLE training_job ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false",
            "ALTER TABLE training_job ADD COLUMN cancel_requested_by text",
        ])

    /// Nothing personal reaches PostgreSQL's files in the clear, since a deleted row lingers
    /// there (docs/postgres.md, "Erasure and the disk"): subject keys are wrapped under bucket
    /// keys that erasure rotates (`PostgresSubjectKeys`); the stored copies are sealed under the
    /// key of the subject whose admission stored them (`sealed_by`); a pipeline's image id is
    /// kept as an HMAC for the idempotency lookup (`image_key`) and sealed under the subject's
    /// key for display (`image_id_sealed`). A database holding admissions from before this step
    /// (a development build's, the backend shipped with it) is refused, not converted.
    static let sealedStorage = Migration(
        identifier: "pg6-sealed-storage",
        statements: [
            """
            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM admission) OR EXISTS (SELECT 1 FROM subject_key) OR EXISTS (SELECT 1 FROM image) THEN
                    RAISE EXCEPTION 'this database holds admissions stored in the clear by a development build; start on an empty database';
                END IF;
            END $$
            """,
            "CREATE TABLE key_bucket (bucket integer PRIMARY KEY CHECK (bucket >= 0), wrapped bytea NOT NULL)",
            "ALTER TABLE subject_key ADD COLUMN bucket integer NOT NULL REFERENCES key_bucket(bucket)",
            "CREATE INDEX subject_key_bucket ON subject_key (bucket)",
            "ALTER TABLE admission DROP COLUMN image_id",
            "ALTER TABLE admission ADD COLUMN image_key bytea CHECK (length(image_key) = 32), ADD COLUMN image_id_sealed bytea",
            "CREATE UNIQUE INDEX admission_current_key ON admission (image_key) WHERE superseded_by IS NULL",
            "ALTER TABLE queue_item DROP COLUMN image_id",
            "ALTER TABLE queue_item ADD COLUMN image_key bytea NOT NULL UNIQUE",
            "ALTER TABLE image ADD COLUMN sealed_by bytea NOT NULL",
        ])

    /// `ANALYZE` copies sample values of a column into `pg_statistic`, where a rotated bucket
    /// key's old bytes would outlive `key_bucket`'s rewrite (and an erased subject's wrapped
    /// key would outlive its row): no statistics are kept for the keys' columns.
    static let keysOutOfStatistics = Migration(
        identifier: "pg7-keys-out-of-statistics",
        statements: [
            "ALTER TABLE key_bucket ALTER COLUMN wrapped SET STATISTICS 0",
            "ALTER TABLE subject_key ALTER COLUMN wrapped SET STATISTICS 0",
            "ALTER TABLE key_envelope ALTER COLUMN sealed SET STATISTICS 0",
        ])

    /// Sealed image ids and stored copies are bound to their rows (authenticated data: the
    /// admission's id, the copy's SHA-256), so that the database's owner cannot move one to
    /// another row of the same subject. Values sealed by the development builds before this step
    /// carry no binding and cannot be told from a moved one: a database holding any is refused,
    /// not served with a weaker guarantee.
    static let sealsBoundToRows = Migration(
        identifier: "pg8-seals-bound-to-rows",
        statements: [
            """
            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM image) OR EXISTS (SELECT 1 FROM admission WHERE image_id_sealed IS NOT NULL) THEN
                    RAISE EXCEPTION 'this database holds image ids and copies sealed by a development build without their rows bound; start on an empty database';
                END IF;
            END $$
            """
        ])
}
