import Crypto
import Foundation
import NIOCore
import PolicyEngine
import PostgresNIO
import StrictDocuments
import TraingateStore

/// A group of admissions decided in order against what the group read (`PostgresAdmissionProbe`)
/// and what the jobs before each one did, then written with one statement per table: the same
/// outcome, job by job, as SQLite's one-at-a-time `AdmissionStore.record`, for a handful of
/// round trips per group instead of per job.
struct PostgresAdmissionPlan {
    /// A decision to insert.
    struct Row {
        let seq: Int64
        let job: PostgresAdmissionJob
        let decision: Decision
        let reasons: String
        let jurisdictions: String
        let keptImage: ImageUpload?
        /// The image id and the copy, sealed under the key the row's entry is sealed under.
        let sealed: PostgresSealedAdmission
        let record: AuditRecord
        var queued: Bool
        var supersededBy: String?
        var id: String { job.columns.admissionID }
    }

    /// What a job comes to: a new decision (by its row), or one already stored or made earlier
    /// in the group.
    enum Outcome {
        case created(row: Int, queued: Bool)
        case unchanged(StoredAdmission)
        case unchangedInGroup(row: Int, queued: Bool)
    }

    private let keys: PostgresSubjectKeys
    private let texts: PostgresCommittedTexts
    private var probe: PostgresAdmissionProbe
    private var nextSeq: Int64
    private(set) var rows: [Row] = []
    private var outcomes: [(outcome: Outcome, subjectKey: SubjectKeyCache.Entry?)] = []
    /// Rows current before the group that a job superseded: (old id, new id, key).
    private var supersessions: [(old: String, new: String, imageKey: ByteBuffer, wasQueued: Bool)] = []
    /// Subjects (lookup hex) whose stored items a withdrawal earlier in the group dequeued.
    private var dequeuedSubjects: Set<String> = []
    /// Admissions stored before the group whose queue items the group takes out: superseded
    /// (`supersessions`), or dequeued by a withdrawal at the write (`withdrawnItems`).
    private var supersededIDs: Set<String> = []
    private var withdrawnItems: [String] = []
    private var rowOfCurrent: [PostgresAdmissionKey: Int] = [:]
    private var newKeys: [(lookup: ByteBuffer, wrapped: [UInt8], bucket: Int32, createdAt: String)] = []
    /// Buckets the group's new subjects are the first in.
    private var newBuckets: [(bucket: Int32, wrapped: [UInt8])] = []
    private var queueRemoved = false
    private let head: (seq: Int64, hash: [UInt8])

    /// - Parameter head: the chain head, read under its lock by this transaction.
    init(head: (seq: Int64, hash: [UInt8]), probe: PostgresAdmissionProbe, keys: PostgresSubjectKeys, texts: PostgresCommittedTexts) {
        self.texts = texts
        self.head = head
        nextSeq = head.seq + 1
        self.probe = probe
        self.keys = keys
    }

    /// Decides `job` after the ones added before it. A withdrawal of consent dequeues the
    /// subject's earlier items, as it reaches back in time: those of the group at once, those
    /// stored before it (read by the probe) at the group's write.
    mutating func add(_ job: PostgresAdmissionJob, on connection: PostgresConnection, logger: Logger) async throws {
        let submission = job.submission
        let key = job.key
        if let row = rowOfCurrent[key] {
            if rows[row].job.submission.requestHash == submission.requestHash {
                outcomes.append((.unchangedInGroup(row: row, queued: rows[row].queued), nil))
                return
            }
        } else if let current = probe.current[key], current.requestHash == submission.requestHash {
            outcomes.append((.unchanged(current), nil))
            return
        }
        let standing = probe.standing(of: job)
        let decidedAgain = standing != .clear
        let decision =
            decidedAgain
            ? Evaluator.evaluate(
                submission.policy, facts: submission.facts,
                environment: EvaluationEnvironment(now: submission.decidedAt, standing: standing))
            : submission.decision
        // Data minimisation (Art. 5(1)(c)): the pixels of a rejected photo are never kept.
        let keptImage = decision.verdict == .admitted ? submission.image : nil
        let keyed = try subjectKey(for: job)
        // The stored decision this one supersedes, and whether its image was queued when this
        // job began (its embeddings go with it), before this job's own withdrawal dequeues it.
        let supersededStored = rowOfCurrent[key] == nil ? probe.current[key] : nil
        let supersededWasQueued = supersededStored.map { $0.queued && !dequeuedSubjects.contains($0.subjectRef) } ?? false

        var details: [String: JSONValue] = [:]
        details["api_key"] = submission.apiKey.map(JSONValue.string)
        if decision.reasonCodes.contains(.consentWithdrawn) {
            details["dequeued"] = .integer(try await dequeueEarlierItems(of: job, on: connection, logger: logger))
        }
        let id = job.columns.admissionID
        if let row = rowOfCurrent[key] {
            rows[row].supersededBy = id
            rows[row].queued = false
        } else if let current = supersededStored {
            supersessions.append((current.id, id, job.imageKey, supersededWasQueued))
            supersededIDs.insert(current.id)
        }
        rowOfCurrent[key] = rows.count
        outcomes.append((.created(row: rows.count, queued: keptImage != nil), SubjectKeyCache.Entry(wrapped: keyed.wrapped, key: keyed.key)))
        rows.append(
            Row(
                seq: nextSeq, job: job, decision: decision,
                reasons: decidedAgain ? PreparedColumns.reasons(of: decision) : job.columns.reasons,
                jurisdictions: decidedAgain ? PreparedColumns.jurisdictions(of: decision) : job.columns.jurisdictions,
                keptImage: keptImage,
                sealed: keyed.key.bytes == job.prepared.key.bytes
                    ? job.sealed : try PostgresSealedAdmission(submission, admissionID: job.columns.admissionID, key: keyed.key),
                record: AuditRecord(
                    kind: .decision, at: job.columns.decidedAt, admissionID: id, decision: decision.verdict.rawValue,
                    reasonCodes: decision.reasonCodes.map(\.rawValue), policyVersion: decision.policyVersion,
                    subjectRef: keyed.reference, sealed: keyed.sealed, details: details.isEmpty ? nil : .object(details)),
                queued: keptImage != nil, supersededBy: nil))
        nextSeq += 1
    }

    /// The key the entry is sealed under: the prepared one if it is the key stored now (or, for
    /// a subject with none, a new one, stored with the group under its bucket's key), else the
    /// stored one.
    private mutating func subjectKey(for job: PostgresAdmissionJob) throws -> PreparedSubjectKey {
        let submission = job.submission
        let lookup = submission.subjectRef
        let stored = probe.wrappedKeys[lookup]
        let bucket = PostgresSubjectKeys.bucket(of: job.lookup)
        if job.prepared.matches(stored: stored) {
            guard job.prepared.isNew else { return job.prepared }
            // Made before the write, which alone knows the bucket's key to store it under.
            let prepared = job.prepared.rewrapped(try keys.wrap(job.prepared.key, lookup: job.lookup, under: try bucketKey(bucket)))
            remember(newKey: prepared.wrapped, bucket: bucket, for: job)
            return prepared
        }
        if let stored {
            return try PreparedSubjectKey(
                key: try keys.unwrap(stored, lookup: job.lookup, under: try bucketKey(bucket)), wrapped: stored, isNew: false,
                source: submission.source, subjectID: submission.subjectID, facts: submission.sealedFacts)
        }
        // Prepared from a key that is gone (erased since): a new one.
        let key = SubjectKey.random()
        let fresh = try PreparedSubjectKey(
            key: key, wrapped: try keys.wrap(key, lookup: job.lookup, under: try bucketKey(bucket)), isNew: true,
            source: submission.source, subjectID: submission.subjectID, facts: submission.sealedFacts)
        remember(newKey: fresh.wrapped, bucket: bucket, for: job)
        return fresh
    }

    /// The bucket's key, made (and stored with the group) for a bucket that has none yet.
    private mutating func bucketKey(_ bucket: Int32) throws -> SymmetricKey {
        if let key = probe.bucketKeys[bucket] { return key }
        let new = try keys.newBucketKey(bucket)
        newBuckets.append((bucket, new.wrapped))
        probe.bucketKeys[bucket] = new.key
        return new.key
    }

    private mutating func remember(newKey wrapped: [UInt8], bucket: Int32, for job: PostgresAdmissionJob) {
        newKeys.append((job.lookup, wrapped, bucket, job.columns.decidedAt))
        probe.wrappedKeys[job.submission.subjectRef] = wrapped
    }

    /// Takes the subject's items out of the queue (Art. 7(3)): those stored before the group (in
    /// the database, after the supersessions so far), and those the group queued. Returns how
    /// many left.
    private mutating func dequeueEarlierItems(of job: PostgresAdmissionJob, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let stored: Int
        if let queued = probe.queuedBeforeGroup[job.submission.subjectRef] {
            // Read with the group's other reads: taken out at the write, with no round trip now.
            let items = queued.filter { !supersededIDs.contains($0) && !withdrawnItems.contains($0) }
            withdrawnItems += items
            if !items.isEmpty { queueRemoved = true }
            stored = items.count
        } else {
            // A withdrawal only the decision made again inside the write found.
            try await writeSupersessions(on: connection, logger: logger)
            stored = try await PostgresQueue.dequeueAll(lookup: job.lookup, on: connection, logger: logger)
        }
        dequeuedSubjects.insert(job.submission.subjectRef)
        var ofTheGroup = 0
        for index in rows.indices where rows[index].queued && rows[index].job.submission.subjectRef == job.submission.subjectRef {
            rows[index].queued = false
            ofTheGroup += 1
        }
        // The group's own items never reach the queue table; running jobs are told at the write.
        if ofTheGroup > 0 { queueRemoved = true }
        return stored + ofTheGroup
    }

    /// Marks the decisions stored before the group that jobs superseded, and takes their items
    /// (and the items' embeddings) out of the queue: they re-enter only through the new
    /// decision's row.
    private mutating func writeSupersessions(on connection: PostgresConnection, logger: Logger) async throws {
        guard !supersessions.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(supersessions.map(\.old))
        binds.append(supersessions.map(\.new))
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE admission SET superseded_by = v.new_id, queued = false
                    FROM unnest($1::text[], $2::text[]) AS v(old_id, new_id) WHERE admission.id = v.old_id
                    """, binds: binds), logger: logger)
        // The embeddings of those that were queued go with them (data minimisation); the
        // checkpoints' lineage keeps the fact that they trained them.
        var queued = PostgresBindings()
        queued.append(supersessions.filter(\.wasQueued).map(\.old))
        try await connection.query(
            PostgresQuery(unsafeSQL: "DELETE FROM embedding WHERE admission_id = ANY($1::text[])", binds: queued), logger: logger)
        var imageKeys = PostgresBindings()
        imageKeys.append(supersessions.map(\.imageKey))
        try await connection.query(
            PostgresQuery(unsafeSQL: "DELETE FROM queue_item WHERE image_key = ANY($1::bytea[])", binds: imageKeys), logger: logger)
        supersessions.removeAll()
    }

    /// Writes the group, in the order the foreign keys need, and returns each job's outcome with
    /// the subject key its write used (nil when it wrote nothing).
    mutating func write(on connection: PostgresConnection, logger: Logger) async throws -> [PostgresAdmissionWritten] {
        // A content stored twice in the group is stored once, sealed by the first row that kept it.
        var images: [String: Row] = [:]
        for row in rows { if let image = row.keptImage, images[image.sha256] == nil { images[image.sha256] = row } }
        try await Self.insertImage.run(images.sorted { $0.key < $1.key }.map(\.value), on: connection, logger: logger)
        try await writeSupersessions(on: connection, logger: logger)
        let reasonIDs = try await PostgresInternedText.reasonLists.ids(of: Set(rows.map(\.reasons)), committed: texts, on: connection, logger: logger)
        // The rest in one statement, in the order the foreign keys need: subject keys, the
        // audit entries and the head, the decisions, their queue items.
        var write = PostgresCombinedWrite(on: connection, logger: logger)
        try await write.insert(Self.insertBucket, newBuckets)
        try await write.insert(Self.insertSubjectKey, newKeys)
        let entries = try await PostgresAuditChain.append(texts: texts, rows.map(\.record), after: head, to: &write)
        guard entries.map(\.seq) == rows.map(\.seq) else {
            throw StoreError.corruptRecord("the audit chain moved under a locked head; run `traingate audit verify`")
        }
        try await write.insert(Self.insertAdmission, rows.map { ($0, reasonIDs[$0.reasons]) })
        try await write.insert(Self.insertQueueItem, rows.filter(\.queued))
        if !withdrawnItems.isEmpty {
            for sql in [
                "DELETE FROM queue_item WHERE admission_id = ANY($%d::text[])", "UPDATE admission SET queued = false WHERE id = ANY($%d::text[])",
            ] {
                try await write.statement(parameters: 1, { String(format: sql, $0) }) { $0.append(withdrawnItems) }
            }
        }
        if queueRemoved {
            try await write.statement(parameters: 0, { _ in "UPDATE queue_removals SET generation = generation + 1" }) { _ in }
        }
        try await write.run()
        return outcomes.map { outcome, subjectKey in
            switch outcome {
            case .unchanged(let admission):
                return PostgresAdmissionWritten(outcome: .unchanged(admission), subjectKey: nil)
            case .created(let row, let queued):
                return PostgresAdmissionWritten(outcome: .created(stored(row, queued: queued, entry: entries[row])), subjectKey: subjectKey)
            case .unchangedInGroup(let row, let queued):
                return PostgresAdmissionWritten(outcome: .unchanged(stored(row, queued: queued, entry: entries[row])), subjectKey: nil)
            }
        }
    }

    /// A new decision as its job saw it when it was made.
    private func stored(_ index: Int, queued: Bool, entry: AuditEntry) -> StoredAdmission {
        let row = rows[index]
        let submission = row.job.submission
        return StoredAdmission(
            id: row.id, source: submission.source, imageID: submission.imageID, subjectRef: submission.subjectRef,
            requestHash: submission.requestHash, verdict: row.decision.verdict, reasons: row.decision.reasons,
            jurisdictions: row.decision.jurisdictions, signals: submission.signals, policyID: row.decision.policyID,
            policyVersion: row.decision.policyVersion, auditSeq: entry.seq, auditHash: entry.hash, queued: queued,
            decidedAt: row.job.columns.decidedAt, image: row.keptImage?.info, supersededBy: nil, apiKey: submission.apiKey, erasedAt: nil)
    }

    private static let insertBucket = PostgresInsert<(bucket: Int32, wrapped: [UInt8])>(
        table: "key_bucket", columns: ["bucket", "wrapped"]
    ) { bucket, bindings in
        bindings.append(bucket.bucket)
        bindings.append(ByteBuffer(bytes: bucket.wrapped))
    }

    private static let insertSubjectKey = PostgresInsert<(lookup: ByteBuffer, wrapped: [UInt8], bucket: Int32, createdAt: String)>(
        table: "subject_key", columns: ["lookup", "wrapped", "bucket", "created_at"]
    ) { key, bindings in
        bindings.append(key.lookup)
        bindings.append(ByteBuffer(bytes: key.wrapped))
        bindings.append(key.bucket)
        bindings.append(key.createdAt)
    }

    /// A few per statement: each holds a minimised photo, sealed under the key of the subject
    /// whose row keeps it (`sealed_by`).
    private static let insertImage = PostgresInsert<Row>(
        table: "image",
        columns: [
            "sha256", "content_type", "byte_count", "bytes", "sealed_by", "width", "height", "phash", "phash_b0", "phash_b1", "phash_b2",
            "phash_b3",
        ], suffix: "ON CONFLICT (sha256) DO NOTHING", chunk: 32
    ) { row, bindings in
        guard let image = row.keptImage, let sealed = row.sealed.image else {
            throw StoreError.corruptRecord(id: row.id, column: "image")
        }
        bindings.append(image.sha256)
        bindings.append(image.contentType)
        bindings.append(Int32(image.bytes.count))
        bindings.append(sealed)
        bindings.append(row.job.lookup)
        bindings.append(image.width.map(Int32.init))
        bindings.append(image.height.map(Int32.init))
        bindings.append(image.perceptualHash.map { Int64(bitPattern: $0) })
        for band in NearDuplicates.bandArguments(image.perceptualHash) { bindings.append(band) }
    }

    private static let insertAdmission = PostgresInsert<(row: Row, reasonsID: Int64?)>(
        table: "admission",
        columns: [
            "audit_seq", "id", "source", "image_key", "image_id_sealed", "subject_ref", "request_hash", "decision", "reasons", "jurisdictions",
            "signals",
            "policy_id", "queued", "image_sha256", "superseded_by", "api_key",
        ]
    ) { item, bindings in
        let row = item.row
        bindings.append(row.seq)
        bindings.append(row.id)
        bindings.append(row.job.submission.source)
        bindings.append(row.job.imageKey)
        bindings.append(row.sealed.imageID)
        bindings.append(row.job.lookup)
        bindings.append(row.job.requestHash)
        bindings.append(row.decision.verdict.rawValue)
        bindings.append(item.reasonsID)
        bindings.append(row.jurisdictions)
        bindings.append(row.job.columns.signals)
        bindings.append(row.decision.policyID)
        bindings.append(row.queued)
        bindings.append(row.keptImage?.sha256)
        bindings.append(row.supersededBy)
        bindings.append(row.job.submission.apiKey)
    }

    private static let insertQueueItem = PostgresInsert<Row>(
        table: "queue_item", columns: ["admission_id", "source", "image_key", "image_sha256", "enqueued_at"]
    ) { row, bindings in
        bindings.append(row.id)
        bindings.append(row.job.submission.source)
        bindings.append(row.job.imageKey)
        bindings.append(row.keptImage?.sha256)
        bindings.append(row.job.columns.decidedAt)
    }
}
