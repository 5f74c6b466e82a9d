import Crypto
import Foundation
import GRDB
import PolicyEngine
import StrictDocuments

/// Admissions: the decision row, its audit entry and its queue change, committed together.
public struct AdmissionStore: AdmissionRecording {
    private let database: AppDatabase
    private let committer: GroupCommitWriter
    private let keyring: SubjectKeyring
    /// Largest pHash distance at which an image counts as a copy of erased content.
    private let nearDuplicateDistance: Int
    private let committedTextIDs = CommittedTextIDs()

    public init(database: AppDatabase, committer: GroupCommitWriter, keyring: SubjectKeyring, nearDuplicateDistance: Int = 6) {
        self.database = database
        self.committer = committer
        self.keyring = keyring
        self.nearDuplicateDistance = nearDuplicateDistance
    }

    // MARK: - Writes

    /// Records a decision, or finds that the same body was already decided.
    ///
    /// In one transaction: the previous decision for (`source`, `image_id`) is looked up; if its
    /// request hash is the same, nothing is written. Otherwise the image is stored, an audit entry
    /// appended, the admission inserted (superseding the previous one), and the queue updated: the
    /// old item leaves, and a new one enters when the decision admits an image. Returns only after
    /// the transaction is durable.
    public func record(_ submission: AdmissionSubmission) async throws -> AdmissionOutcome {
        let columns = PreparedColumns(submission)
        let known = TextIDs(
            policyVersion: committedTextIDs.id(of: submission.decision.policyVersion, in: .policyVersions),
            reasons: committedTextIDs.id(of: columns.reasons, in: .reasonLists))
        // The subject-key work, before the write when it can be: the key this subject's last
        // committed admission used, or a new one for a subject the cache does not know.
        let (cached, generation) = keyring.cache.entry(forLookup: submission.subjectRef)
        let prepared = try PreparedSubjectKey(
            cached: cached, keyring: keyring, lookup: submission.subjectRef, source: submission.source,
            subjectID: submission.subjectID, facts: submission.sealedFacts)
        let recorded = try await committer.submit { [keyring, nearDuplicateDistance] db in
            try Self.record(
                submission, keyring: keyring, nearDuplicateDistance: nearDuplicateDistance, known: known, prepared: prepared,
                columns: columns, in: db)
        }
        if let used = recorded.subjectKey { keyring.cache.remember(used, forLookup: submission.subjectRef, generation: generation) }
        // Durable now: the ids the write used can be trusted by the next decisions.
        if let id = recorded.used.policyVersion {
            committedTextIDs.remember(id, of: submission.decision.policyVersion, in: .policyVersions)
        }
        if let id = recorded.used.reasons { committedTextIDs.remember(id, of: columns.reasons, in: .reasonLists) }
        return recorded.outcome
    }

    /// What the write returns: a struct, not a tuple, whose metadata the runtime would look up
    /// each time the group committer hands the result back.
    struct Recorded: Sendable {
        let outcome: AdmissionOutcome
        let used: TextIDs
        /// The subject key the write used, as stored (nil when it wrote nothing).
        var subjectKey: SubjectKeyCache.Entry?
    }

    /// Ids of a decision's interned texts: known before its write, or used by it.
    struct TextIDs: Sendable {
        var policyVersion: Int64?
        var reasons: Int64?
    }

    /// The write. `known` ids are for the submitter's decision; a decision made again inside
    /// the write (the standing was not clear) looks its own texts up.
    static func record(
        _ submission: AdmissionSubmission, keyring: SubjectKeyring, nearDuplicateDistance: Int, known: TextIDs = TextIDs(),
        prepared: PreparedSubjectKey? = nil, columns: PreparedColumns? = nil, in db: Database
    ) throws -> Recorded {
        // Hot path: statements are prepared once per connection (cachedStatement).
        let lookup = StoredLookup(submission.subjectRef)
        let probe = try WriteProbe.fetch(source: submission.source, imageID: submission.imageID, subjectRef: lookup, in: db)
        let current = try probe.currentAdmissionID.flatMap { id in
            try Row.fetchOne(db.cachedStatement(sql: StoredAdmission.selectSQL + " WHERE admission.id = ?"), arguments: [id])
                .map { try StoredAdmission(row: $0) }
        }
        if let current, current.requestHash == submission.requestHash { return Recorded(outcome: .unchanged(current), used: TextIDs()) }

        let standing = SubjectStanding(
            objectionRegistered: probe.objectionRegistered,
            contentErased: try contentErased(
                contentSHA256: submission.image?.sha256, perceptualHash: submission.image?.perceptualHash,
                nearDuplicateDistance: nearDuplicateDistance, in: db))
        let decidedAgain = standing != .clear
        let decision =
            !decidedAgain
            ? submission.decision
            : Evaluator.evaluate(
                submission.policy, facts: submission.facts,
                environment: EvaluationEnvironment(now: submission.decidedAt, standing: standing))
        let columns = columns ?? PreparedColumns(submission)
        let decidedAt = columns.decidedAt
        let id = columns.admissionID
        // Data minimisation (Art. 5(1)(c)): the pixels of a rejected photo are never kept.
        let keptImage = decision.verdict == .admitted ? submission.image : nil
        if let image = keptImage {
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO image (sha256, content_type, byte_count, bytes, width, height, phash,
                        phash_b0, phash_b1, phash_b2, phash_b3) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: StatementArguments(
                    [
                        image.sha256, image.contentType, image.bytes.count, Data(image.bytes), image.width, image.height,
                        image.perceptualHash.map { Int64(bitPattern: $0) },
                    ] as [(any DatabaseValueConvertible)?]) + StatementArguments(NearDuplicates.bandArguments(image.perceptualHash)))
        }
        // The entry names the subject only under the subject's own key, and seals the facts
        // under it, so erasing that key later leaves the entry verifiable but mute. What was
        // prepared before the write counts only if it was made from the key stored now.
        let keyed: PreparedSubjectKey
        if let prepared, prepared.matches(stored: probe.wrappedSubjectKey) {
            if prepared.isNew { try keyring.store(wrapped: prepared.wrapped, forLookup: lookup, createdAt: decidedAt, in: db) }
            keyed = prepared
        } else {
            let stored = try keyring.key(forLookup: lookup, stored: probe.wrappedSubjectKey, createdAt: decidedAt, in: db)
            keyed = try PreparedSubjectKey(
                key: stored.key, wrapped: stored.wrapped, isNew: false, source: submission.source, subjectID: submission.subjectID,
                facts: submission.sealedFacts)
        }
        // A withdrawal of consent reaches back (Art. 7(3)): the subject's earlier items leave the
        // training queue in this same transaction, as an objection's do.
        let withdrawn = decision.reasonCodes.contains(.consentWithdrawn)
        let dequeued = withdrawn ? try SubjectRightsStore.dequeueAll(subjectRef: submission.subjectRef, in: db) : 0
        var details: [String: JSONValue] = [:]
        details["api_key"] = submission.apiKey.map(JSONValue.string)
        if withdrawn { details["dequeued"] = .integer(dequeued) }
        // The known ids name the submitter's texts; a decision made again here may differ.
        let samePolicy = decision.policyVersion == submission.decision.policyVersion
        let policyVersionID =
            try (samePolicy ? known.policyVersion : nil)
            ?? InternedText.policyVersions.reference(to: decision.policyVersion, in: db)

        var record = AuditRecord(
            kind: .decision, at: decidedAt, admissionID: id, decision: decision.verdict.rawValue,
            reasonCodes: decision.reasonCodes.map(\.rawValue), policyVersion: decision.policyVersion,
            subjectRef: keyed.reference, sealed: keyed.sealed,
            details: details.isEmpty ? nil : .object(details))
        record.knownPolicyVersionID = policyVersionID
        let audit = try AuditLog.append(record, in: db)
        let queued = keptImage != nil
        if let current {
            // The old decision stops being current (before the insert, which the unique index on
            // current keys requires; the foreign key to the new row is checked at commit) and its
            // image leaves the queue. It re-enters below only if the new decision admits it.
            try db.execute(
                sql: "UPDATE admission SET superseded_by = ?, queued = 0 WHERE id = ?", arguments: [id, current.id])
            try db.execute(
                sql: "DELETE FROM queue_item WHERE source = ? AND image_id = ?",
                arguments: [submission.source, submission.imageID])
            // Its embeddings go with it (data minimisation); the checkpoints' lineage keeps the
            // fact that it trained them.
            if current.queued {
                try db.execute(sql: "DELETE FROM embedding WHERE admission_id = ?", arguments: [current.id])
            }
        }
        let reasonsID =
            try (decidedAgain ? nil : known.reasons)
            ?? InternedText.reasonLists.reference(to: decidedAgain ? PreparedColumns.reasons(of: decision) : columns.reasons, in: db)
        // What the audit entry holds (time, policy version, hash) is not stored again here.
        var insert = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO admission (audit_seq, id, source, image_id, subject_ref, request_hash, decision, reasons,
                        jurisdictions, signals, policy_id, queued, image_sha256, api_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """))
        insert.bind(audit.seq)
        insert.bind(id)
        insert.bind(submission.source)
        insert.bind(submission.imageID)
        insert.bind(lookup.databaseValue)
        insert.bind(bytes: try HexColumn.bytes(of: submission.requestHash, field: "request hash"))
        insert.bind(decision.verdict.rawValue)
        insert.bind(reasonsID)
        insert.bind(decidedAgain ? PreparedColumns.jurisdictions(of: decision) : columns.jurisdictions)
        insert.bind(columns.signals)
        insert.bind(decision.policyID)
        insert.bind(queued)
        insert.bind(keptImage?.sha256)
        insert.bind(submission.apiKey)
        try insert.execute(in: db)
        if let image = keptImage {
            try db.cachedStatement(
                sql: "INSERT INTO queue_item (admission_id, source, image_id, image_sha256, enqueued_at) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [id, submission.source, submission.imageID, image.sha256, decidedAt])
        }
        return Recorded(
            outcome: .created(
                StoredAdmission(
                    id: id, submission: submission, decision: decision, decidedAt: decidedAt, audit: audit, keptImage: keptImage)),
            used: TextIDs(policyVersion: samePolicy ? policyVersionID : nil, reasons: decidedAgain ? nil : reasonsID),
            subjectKey: SubjectKeyCache.Entry(wrapped: keyed.wrapped, key: keyed.key))
    }

    /// Whether the subject objected, and whether the content was erased: the same bytes, or
    /// (with a perceptual hash) a picture within `nearDuplicateDistance` bits of erased content.
    static func standing(
        subjectRef: String, contentSHA256: String?, perceptualHash: UInt64?, nearDuplicateDistance: Int, in db: Database
    ) throws -> SubjectStanding {
        let objected = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM objection WHERE subject_ref = ?)"), arguments: [StoredLookup(subjectRef)])
        return SubjectStanding(
            objectionRegistered: objected ?? false,
            contentErased: try contentErased(
                contentSHA256: contentSHA256, perceptualHash: perceptualHash, nearDuplicateDistance: nearDuplicateDistance, in: db))
    }

    /// Whether the content was erased: the same bytes, or a picture within `nearDuplicateDistance`
    /// bits of erased content.
    static func contentErased(contentSHA256: String?, perceptualHash: UInt64?, nearDuplicateDistance: Int, in db: Database) throws -> Bool {
        if let contentSHA256,
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM erased_content WHERE sha256 = ?)"), arguments: [contentSHA256]) == true
        {
            return true
        }
        guard let perceptualHash else { return false }
        return try !NearDuplicates.search(.erasedContent, hash: perceptualHash, radius: nearDuplicateDistance, in: db).isEmpty
    }

    // MARK: - Reads

    /// The decision with this id, current or superseded.
    public func admission(id: String) async throws -> StoredAdmission? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: StoredAdmission.selectSQL + " WHERE admission.id = ?", arguments: [id])
                .map { try StoredAdmission(row: $0) }
        }
    }

    /// What the policy engine needs to know from the store about a subject and a piece of content.
    public func standing(subjectRef: String, contentSHA256: String?, perceptualHash: UInt64? = nil) async throws -> SubjectStanding {
        try await database.writer.read { [nearDuplicateDistance] db in
            try Self.standing(
                subjectRef: subjectRef, contentSHA256: contentSHA256, perceptualHash: perceptualHash,
                nearDuplicateDistance: nearDuplicateDistance, in: db)
        }
    }

    /// Stored images within `distance` bits of `perceptualHash` (default: the configured
    /// near-duplicate distance), closest first.
    public func similarImages(to perceptualHash: UInt64, distance: Int? = nil) async throws -> [(sha256: String, distance: Int)] {
        try await database.writer.read { [nearDuplicateDistance] db in
            try NearDuplicates.search(.image, hash: perceptualHash, radius: distance ?? nearDuplicateDistance, in: db)
                .sorted { ($0.distance, $0.sha256) < ($1.distance, $1.sha256) }
        }
    }

    /// Queue rows, oldest first (for tests and later the trainer).
    public func queuedAdmissionIDs() async throws -> [String] {
        try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT admission_id FROM queue_item ORDER BY enqueued_at, admission_id")
        }
    }

    static func newAdmissionID(now: Date = Date()) -> String {
        RecordID.make("adm", now: now)
    }
}
