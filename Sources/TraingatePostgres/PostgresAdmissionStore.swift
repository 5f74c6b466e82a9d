import NIOCore
import PostgresNIO
import ServiceLifecycle
import StrictDocuments
import TraingateStore

/// Admissions on PostgreSQL: the decision row, its audit entry and its queue change committed
/// together, group-committed with the chain head locked first, so that instances sharing the
/// database see each other's decisions: the same (`source`, `image_id`) sent to two instances
/// at once is decided once. Runs its group committer as a `Service` (`committer`).
public struct PostgresAdmissionStore: AdmissionRecording {
    private let store: PostgresStore
    private let keyring: SubjectKeyring
    private let keys: PostgresSubjectKeys
    /// Largest pHash distance at which an image counts as a copy of erased content.
    private let nearDuplicateDistance: Int
    public let committer: PostgresGroupCommitter<PostgresAdmissionJob, PostgresAdmissionWritten>

    public init(store: PostgresStore, keyring: SubjectKeyring, nearDuplicateDistance: Int = 6, maxBatchSize: Int = 512) {
        self.store = store
        self.keyring = keyring
        let keys = PostgresSubjectKeys(keyring: keyring)
        self.keys = keys
        self.nearDuplicateDistance = nearDuplicateDistance
        let (logger, texts) = (store.logger, store.committedTexts)
        committer = PostgresGroupCommitter(store: store, maxBatchSize: maxBatchSize) { group, connection in
            // The head first: every writer of every instance queues here, so what the group
            // reads next stays true until it commits. The group forms only once the lock is
            // held, with every job that came in while another instance's group held it.
            let head = try await PostgresAuditChain.head(on: connection, locking: true, logger: logger)
            let jobs = group.jobs()
            let probe = try await PostgresAdmissionProbe.fetch(
                for: jobs, nearDuplicateDistance: nearDuplicateDistance, keys: keys, on: connection, logger: logger)
            var plan = PostgresAdmissionPlan(head: head, probe: probe, keys: keys, texts: texts)
            for job in jobs { try await plan.add(job, on: connection, logger: logger) }
            return try await plan.write(on: connection, logger: logger)
        }
    }

    public func record(_ submission: AdmissionSubmission) async throws -> AdmissionOutcome {
        // The subject-key work before the write, as on SQLite (`AdmissionStore.record`).
        let (cached, generation) = keyring.cache.entry(forLookup: submission.subjectRef)
        let prepared = try PreparedSubjectKey(
            cached: cached, keyring: keyring, lookup: submission.subjectRef, source: submission.source,
            subjectID: submission.subjectID, facts: submission.sealedFacts)
        let written = try await committer.submit(try PostgresAdmissionJob(submission, prepared: prepared, keyring: keyring))
        if let used = written.subjectKey { keyring.cache.remember(used, forLookup: submission.subjectRef, generation: generation) }
        return written.outcome
    }

    public func admission(id: String) async throws -> StoredAdmission? {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await store.openClient().query(
            PostgresQuery(unsafeSQL: PostgresAdmissionRow.select + " WHERE a.id = $1", binds: binds), logger: store.logger)
        return try await PostgresAdmissionRow.decode(rows, keys: keys).first
    }

    public func standing(subjectRef: String, contentSHA256: String?, perceptualHash: UInt64?) async throws -> SubjectStanding {
        try await store.openClient().withConnection { [store, nearDuplicateDistance] connection in
            var lookup = PostgresBindings()
            lookup.append(try PostgresBytes.hex(subjectRef, field: "the subject's lookup pseudonym"))
            let objected =
                try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM objection WHERE subject_ref = $1)", binds: lookup),
                    logger: store.logger
                ).collect().first?.decode(Bool.self) ?? false
            var erased = false
            if let contentSHA256 {
                var content = PostgresBindings()
                content.append(contentSHA256)
                erased =
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM erased_content WHERE sha256 = $1)", binds: content),
                        logger: store.logger
                    ).collect().first?.decode(Bool.self) ?? false
            }
            if !erased, let perceptualHash {
                erased = try await !PostgresNearDuplicates.search(
                    .erasedContent, hashes: [perceptualHash], radius: nearDuplicateDistance, on: connection, logger: store.logger
                ).isEmpty
            }
            return SubjectStanding(objectionRegistered: objected, contentErased: erased)
        }
    }

    public func similarImages(to perceptualHash: UInt64, distance: Int?) async throws -> [(sha256: String, distance: Int)] {
        let radius = distance ?? nearDuplicateDistance
        let matches = try await store.openClient().withConnection { [store] connection in
            try await PostgresNearDuplicates.search(.image, hashes: [perceptualHash], radius: radius, on: connection, logger: store.logger)
        }
        return (matches[perceptualHash] ?? []).sorted { ($0.distance, $0.sha256) < ($1.distance, $1.sha256) }
    }

    public func queuedAdmissionIDs() async throws -> [String] {
        var ids: [String] = []
        let rows = try await store.openClient().query(
            "SELECT admission_id FROM queue_item ORDER BY enqueued_at, admission_id", logger: store.logger)
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }
}
