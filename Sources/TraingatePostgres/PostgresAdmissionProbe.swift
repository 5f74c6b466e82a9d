import Crypto
import NIOCore
import PostgresNIO
import StrictDocuments
import TraingateStore

/// What a group of admissions must read before it writes, for the whole group at once: the
/// current decisions for their keys, which subjects objected, the subjects' keys with the keys
/// of their buckets, what withdrawals take out of the queue (one statement for all of these;
/// a second reads current decisions whole when there are any), and which contents were erased
/// (the same bytes, or a near-duplicate by perceptual hash; only for groups with photos). Read
/// after the chain head is locked, so no other instance writes in between.
struct PostgresAdmissionProbe {
    var current: [PostgresAdmissionKey: StoredAdmission] = [:]
    /// Lookup pseudonyms (hex) of subjects who objected.
    var objected: Set<String> = []
    /// Wrapped keys by lookup pseudonym (hex).
    var wrappedKeys: [String: [UInt8]] = [:]
    /// The keys of the subjects' buckets that exist (a bucket's first subject creates it).
    var bucketKeys: [Int32: SymmetricKey] = [:]
    /// For subjects whose submitted decision withdraws consent: the ids of their admissions
    /// queued before the group (by lookup hex; an empty list for a subject with none), which the
    /// withdrawal takes out at the group's write instead of in statements of its own.
    var queuedBeforeGroup: [String: [String]] = [:]
    var erasedSHA256: Set<String> = []
    /// Perceptual hashes within the near-duplicate distance of erased content.
    var erasedNear: Set<UInt64> = []

    static func fetch(
        for jobs: [PostgresAdmissionJob], nearDuplicateDistance: Int, keys subjectKeys: PostgresSubjectKeys,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> PostgresAdmissionProbe {
        var probe = PostgresAdmissionProbe()
        // What the group's subjects bring, in one statement (each part a round trip saved under
        // the chain head's lock): (0) one row per bucket that exists, with the group's subjects
        // in it that have a key; (1) the subjects who objected; (2) for subjects whose submitted
        // decision withdraws consent, their admissions queued before the group; (3) the ids of
        // the current decisions for the jobs' keys, read whole below only when there are any.
        let withdrawing = Set(jobs.filter { $0.submission.decision.reasonCodes.contains(.consentWithdrawn) }.map(\.lookup))
        for lookup in withdrawing { probe.queuedBeforeGroup[Hex.encode(Array(buffer: lookup))] = [] }
        var subjects = PostgresBindings()
        subjects.append(Array(Set(jobs.map(\.lookup))))
        subjects.append(Array(Set(jobs.map { PostgresSubjectKeys.bucket(of: $0.lookup) })))
        subjects.append(Array(withdrawing))
        subjects.append(jobs.map(\.imageKey))
        var currentIDs: [String] = []
        for try await (part, bucket, bucketWrapped, lookup, wrapped, admissionID) in try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT 0, kb.bucket, kb.wrapped, sk.lookup, sk.wrapped, NULL::text FROM key_bucket kb
                    LEFT JOIN subject_key sk ON sk.bucket = kb.bucket AND sk.lookup = ANY($1::bytea[]) WHERE kb.bucket = ANY($2::int4[])
                    UNION ALL SELECT 1, NULL, NULL, subject_ref, NULL, NULL FROM objection WHERE subject_ref = ANY($1::bytea[])
                    UNION ALL SELECT 2, NULL, NULL, a.subject_ref, NULL, q.admission_id FROM queue_item q
                    JOIN admission a ON a.id = q.admission_id WHERE a.subject_ref = ANY($3::bytea[])
                    UNION ALL SELECT 3, NULL, NULL, NULL, NULL, id FROM admission WHERE superseded_by IS NULL AND image_key = ANY($4::bytea[])
                    """, binds: subjects), logger: logger
        ).decode((Int32, Int32?, ByteBuffer?, ByteBuffer?, ByteBuffer?, String?).self) {
            let subject = lookup.map { Hex.encode(Array(buffer: $0)) }
            switch (part, subject) {
            case (0, _):
                guard let bucket, let bucketWrapped else { throw StoreError.corruptRecord("a key bucket without its key") }
                probe.bucketKeys[bucket] = try subjectKeys.bucketKeyUnderHeadLock(bucket, wrapped: Array(buffer: bucketWrapped))
                if let subject, let wrapped { probe.wrappedKeys[subject] = Array(buffer: wrapped) }
            case (1, let subject?): probe.objected.insert(subject)
            case (2, let subject?): if let admissionID { probe.queuedBeforeGroup[subject, default: []].append(admissionID) }
            case (3, nil): if let admissionID { currentIDs.append(admissionID) }
            default: throw StoreError.corruptRecord("the admission probe returned an unexpected row")
            }
        }
        if !currentIDs.isEmpty {
            var ids = PostgresBindings()
            ids.append(currentIDs)
            let current = try await PostgresAdmissionRow.decode(
                try await connection.query(
                    PostgresQuery(unsafeSQL: PostgresAdmissionRow.select + " WHERE a.id = ANY($1::text[])", binds: ids), logger: logger),
                keys: subjectKeys)
            for admission in current { probe.current[PostgresAdmissionKey(source: admission.source, imageID: admission.imageID)] = admission }
        }

        let images = jobs.compactMap(\.submission.image)
        guard !images.isEmpty else { return probe }
        var contents = PostgresBindings()
        contents.append(Array(Set(images.map(\.sha256))))
        for try await sha256 in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT sha256 FROM erased_content WHERE sha256 = ANY($1::text[])", binds: contents), logger: logger
        ).decode(String.self) {
            probe.erasedSHA256.insert(sha256)
        }
        let near = try await PostgresNearDuplicates.search(
            .erasedContent, hashes: Set(images.compactMap(\.perceptualHash)), radius: nearDuplicateDistance, on: connection,
            logger: logger)
        probe.erasedNear = Set(near.keys)
        return probe
    }

    /// The subject's standing for a job, as the write reads it.
    func standing(of job: PostgresAdmissionJob) -> SubjectStanding {
        let image = job.submission.image
        return SubjectStanding(
            objectionRegistered: objected.contains(job.submission.subjectRef),
            contentErased: image.map { erasedSHA256.contains($0.sha256) || ($0.perceptualHash.map(erasedNear.contains) ?? false) } ?? false)
    }
}
