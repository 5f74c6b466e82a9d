import GRDB

extension AppDatabase {
    /// Schema history. A migration is never edited once committed: add a new one instead.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-gate-core") { db in
            try db.execute(
                sql: """
                    CREATE TABLE image (
                        sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
                        content_type TEXT NOT NULL,
                        byte_count INTEGER NOT NULL CHECK (byte_count > 0),
                        bytes BLOB NOT NULL
                    );
                    CREATE TABLE admission (
                        id TEXT PRIMARY KEY NOT NULL,
                        source TEXT NOT NULL,
                        image_id TEXT NOT NULL,
                        subject_ref TEXT NOT NULL,
                        request_hash TEXT NOT NULL,
                        decision TEXT NOT NULL CHECK (decision IN ('admitted', 'rejected')),
                        reasons TEXT NOT NULL,
                        jurisdictions TEXT NOT NULL,
                        signals TEXT NOT NULL,
                        policy_id TEXT NOT NULL,
                        policy_version TEXT NOT NULL,
                        audit_seq INTEGER NOT NULL UNIQUE REFERENCES audit_entry(seq),
                        audit_hash TEXT NOT NULL,
                        queued INTEGER NOT NULL CHECK (queued IN (0, 1)),
                        decided_at TEXT NOT NULL,
                        image_sha256 TEXT REFERENCES image(sha256),
                        superseded_by TEXT REFERENCES admission(id) DEFERRABLE INITIALLY DEFERRED
                    );
                    -- At most one current decision per idempotency key.
                    CREATE UNIQUE INDEX admission_current_key ON admission(source, image_id) WHERE superseded_by IS NULL;
                    CREATE INDEX admission_subject ON admission(subject_ref);

                    CREATE TABLE audit_entry (
                        seq INTEGER PRIMARY KEY NOT NULL CHECK (seq > 0),
                        at TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        admission_id TEXT,
                        decision TEXT,
                        reason_codes TEXT NOT NULL,
                        policy_version TEXT,
                        subject_ref TEXT,
                        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
                        hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
                    );
                    -- The log is append-only; the schema says so too.
                    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
                        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

                    CREATE TABLE queue_item (
                        admission_id TEXT PRIMARY KEY NOT NULL REFERENCES admission(id),
                        source TEXT NOT NULL,
                        image_id TEXT NOT NULL,
                        image_sha256 TEXT NOT NULL REFERENCES image(sha256),
                        enqueued_at TEXT NOT NULL,
                        UNIQUE (source, image_id)
                    );

                    -- Art. 17 suppression list: content that was erased must not be admitted again.
                    CREATE TABLE erased_content (
                        sha256 TEXT PRIMARY KEY NOT NULL,
                        erased_at TEXT NOT NULL
                    );
                    -- Art. 21 objections by subject pseudonym.
                    CREATE TABLE objection (
                        subject_ref TEXT PRIMARY KEY NOT NULL,
                        registered_at TEXT NOT NULL
                    );
                    """)
        }
        // The UNIQUE index on `hash` made every append insert into a B-tree keyed by a random
        // value, dirtying one more page per decision in each group commit; dropping it raised
        // durable admissions/s by about 20% (docs/benchmarks.md). Hash uniqueness is implied by
        // the chain, which `verify` recomputes. SQLite cannot drop a constraint's index, so the
        // table is rebuilt (SQLite's documented procedure; GRDB defers foreign-key checks).
        migrator.registerMigration("v2-audit-hash-unindexed") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_entry_rebuilt (
                        seq INTEGER PRIMARY KEY NOT NULL CHECK (seq > 0),
                        at TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        admission_id TEXT,
                        decision TEXT,
                        reason_codes TEXT NOT NULL,
                        policy_version TEXT,
                        subject_ref TEXT,
                        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
                        hash TEXT NOT NULL CHECK (length(hash) = 64)
                    );
                    INSERT INTO audit_entry_rebuilt SELECT seq, at, kind, admission_id, decision, reason_codes,
                        policy_version, subject_ref, prev_hash, hash FROM audit_entry;
                    DROP TABLE audit_entry;
                    ALTER TABLE audit_entry_rebuilt RENAME TO audit_entry;
                    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
                        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                    """)
        }
        // Audit format 2: facts sealed under a per-subject key (crypto-shredding) and details
        // for entries that are not decisions. Entries written before keep `v` = 1 and verify
        // under the version 1 canonical form.
        migrator.registerMigration("v3-subject-keys-sealed-audit") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit_entry ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE audit_entry ADD COLUMN sealed BLOB;
                    ALTER TABLE audit_entry ADD COLUMN details TEXT;
                    -- Start-up looks up the last policy change; filters by kind page by seq.
                    CREATE INDEX audit_entry_kind ON audit_entry(kind, seq);

                    -- One random key per subject, wrapped under the master key. Deleting a row
                    -- makes that subject's audit entries unreadable (crypto-shredding).
                    CREATE TABLE subject_key (
                        lookup TEXT PRIMARY KEY NOT NULL,
                        wrapped BLOB NOT NULL,
                        created_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        // Image intake: the stored copy's size and its perceptual hash (near-duplicate lookups).
        migrator.registerMigration("v4-image-intake") { db in
            try db.execute(
                sql: """
                    ALTER TABLE image ADD COLUMN width INTEGER;
                    ALTER TABLE image ADD COLUMN height INTEGER;
                    ALTER TABLE image ADD COLUMN phash INTEGER;
                    """)
        }
        // Near-duplicate search by multi-index hashing (PerceptualHashBands): the pHash in four
        // 16-bit bands, each indexed, for stored images and for the suppression list of erased
        // content, so that a photo "like" an erased one is caught inside the write transaction.
        migrator.registerMigration("v5-phash-bands") { db in
            try db.execute(sql: "ALTER TABLE erased_content ADD COLUMN phash INTEGER")
            for table in ["image", "erased_content"] {
                for band in 0..<PerceptualHashBands.count {
                    try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN phash_b\(band) INTEGER")
                    try db.execute(sql: "CREATE INDEX \(table)_phash_b\(band) ON \(table)(phash_b\(band))")
                }
            }
            // Images stored under v4 get their bands from their hash.
            let rows = try Row.fetchAll(db, sql: "SELECT sha256, phash FROM image WHERE phash IS NOT NULL")
            for row in rows {
                let bands = PerceptualHashBands.bands(of: UInt64(bitPattern: row["phash"]))
                try db.execute(
                    sql: "UPDATE image SET phash_b0 = ?, phash_b1 = ?, phash_b2 = ?, phash_b3 = ? WHERE sha256 = ?",
                    arguments: [bands[0], bands[1], bands[2], bands[3], row["sha256"] as String])
            }
        }
        // The trainer: jobs in submission order, checkpoints with their weights and lineage
        // (which admissions trained them, under which policy versions), and one embedding per
        // image a checkpoint trained on. Lineage and embeddings name admissions without a
        // foreign key: erasure removes admissions but must still find the checkpoints they tainted.
        migrator.registerMigration("v6-training") { db in
            try db.execute(
                sql: """
                    CREATE TABLE training_job (
                        id TEXT PRIMARY KEY NOT NULL,
                        position INTEGER NOT NULL UNIQUE,
                        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
                        parameters TEXT NOT NULL,
                        epoch INTEGER NOT NULL DEFAULT 0,
                        step INTEGER NOT NULL DEFAULT 0,
                        total_steps INTEGER NOT NULL DEFAULT 0,
                        loss REAL,
                        images INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL,
                        started_at TEXT,
                        finished_at TEXT,
                        checkpoint_id TEXT,
                        error TEXT
                    );
                    CREATE INDEX training_job_status ON training_job(status, position);
                    CREATE TABLE checkpoint (
                        id TEXT PRIMARY KEY NOT NULL,
                        job_id TEXT NOT NULL UNIQUE REFERENCES training_job(id),
                        created_at TEXT NOT NULL,
                        format INTEGER NOT NULL,
                        parameters TEXT NOT NULL,
                        weights BLOB NOT NULL,
                        embedding_dim INTEGER NOT NULL,
                        images INTEGER NOT NULL,
                        policy_versions TEXT NOT NULL
                    );
                    CREATE TABLE checkpoint_lineage (
                        checkpoint_id TEXT NOT NULL REFERENCES checkpoint(id),
                        admission_id TEXT NOT NULL,
                        image_sha256 TEXT NOT NULL,
                        policy_version TEXT NOT NULL,
                        epochs INTEGER NOT NULL,
                        PRIMARY KEY (checkpoint_id, admission_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX checkpoint_lineage_admission ON checkpoint_lineage(admission_id);
                    CREATE TABLE embedding (
                        admission_id TEXT NOT NULL,
                        checkpoint_id TEXT NOT NULL REFERENCES checkpoint(id),
                        vector BLOB NOT NULL,
                        PRIMARY KEY (admission_id, checkpoint_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX embedding_checkpoint ON embedding(checkpoint_id);
                    """)
        }
        // API keys (docs/security.md): only the SHA-256 of each key; names are never reused.
        // Admissions and training jobs name the key that made them (null in development mode).
        migrator.registerMigration("v7-api-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_key (
                        name TEXT PRIMARY KEY NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('submitter', 'auditor', 'trainer', 'dpo', 'admin')),
                        key_id TEXT NOT NULL UNIQUE,
                        digest BLOB NOT NULL CHECK (length(digest) = 32),
                        created_at TEXT NOT NULL,
                        expires_at TEXT,
                        revoked_at TEXT,
                        last_used_at TEXT
                    );
                    ALTER TABLE admission ADD COLUMN api_key TEXT;
                    ALTER TABLE training_job ADD COLUMN api_key TEXT;
                    """)
        }
        // One row `/readyz` rewrites, through the same writer as admissions, to learn whether a
        // decision could be recorded now (a full disk or a read-only file says no).
        migrator.registerMigration("v8-readiness-probe") { db in
            try db.execute(sql: "CREATE TABLE readiness_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)")
        }
        // Keys sealed under the master key (today the pseudonym key, once the master key has
        // been rotated), so that the master key can change while subject references stay.
        migrator.registerMigration("v9-key-envelope") { db in
            try db.execute(sql: "CREATE TABLE key_envelope (name TEXT PRIMARY KEY NOT NULL, sealed BLOB NOT NULL, sealed_at TEXT NOT NULL)")
        }
        // Erasure (Art. 17) and model lineage. An erased admission keeps only its non-personal
        // fields and says when it was erased; a checkpoint counts the erased and objected items
        // it was trained on (it is not used for new embeddings while any are erased); and a
        // counter that every removal of a subject's items bumps, which a running training job
        // reads at each step to drop them at once instead of at its next epoch.
        migrator.registerMigration("v10-erasure-lineage") { db in
            try db.execute(
                sql: """
                    ALTER TABLE admission ADD COLUMN erased_at TEXT;
                    ALTER TABLE checkpoint ADD COLUMN erased_items INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE checkpoint ADD COLUMN objected_items INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE queue_removals (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
                    INSERT INTO queue_removals (id, generation) VALUES (1, 0);
                    CREATE INDEX image_sha256_admission ON admission(image_sha256) WHERE image_sha256 IS NOT NULL;
                    """)
        }
        // Deleting a stored copy makes SQLite check that no queue row still names it (a foreign
        // key): without an index that check read the whole queue for every image an erasure
        // deleted, so erasing 1,000 images took 15 times longer in a store 100 times larger
        // (docs/benchmarks.md, "Erasure"). One more index entry per queued image.
        migrator.registerMigration("v11-queue-item-image") { db in
            try db.execute(sql: "CREATE INDEX queue_item_image ON queue_item(image_sha256)")
        }
        migrator.registerMigration("v12-compact-decisions", migrate: CompactDecisionsMigration.migrate)
        return migrator
    }
}
