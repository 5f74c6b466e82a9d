import Foundation
import GRDB
import StrictDocuments

/// The audit log outside admissions: entries of their own (policy changes, later training jobs,
/// erasures, objections), queries, verification and unsealing.
public struct AuditStore: AuditLogStore {
    private let database: AppDatabase
    /// The anchored heads, next to the database file.
    public let anchorFile: AuditAnchorFile

    public init(database: AppDatabase) {
        self.database = database
        anchorFile = AuditAnchorFile(directory: URL(fileURLWithPath: database.path).deletingLastPathComponent())
    }

    /// Appends an entry in a transaction of its own.
    @discardableResult
    public func append(_ record: AuditRecord) async throws -> AuditEntry {
        try await database.write { db in try AuditLog.append(record, in: db) }
    }

    /// Appends an entry through group commit: it shares its transaction (and fsync) with the
    /// admissions and other entries submitted meanwhile.
    @discardableResult
    public func append(_ record: AuditRecord, committer: GroupCommitWriter) async throws -> AuditEntry {
        try await committer.submit { db in try AuditLog.append(record, in: db) }
    }

    /// Appends many entries in one transaction, in order (imports and benchmarks).
    public func append(contentsOf records: [AuditRecord]) async throws {
        try await database.write { db in
            for record in records { _ = try AuditLog.append(record, in: db) }
        }
    }

    /// Records a `policy_change` entry when the policy in force differs from the one the last
    /// such entry names (or none was recorded yet). Returns the new entry, or nil if unchanged.
    /// Synchronous: it runs once, at start-up, before the server takes requests.
    @discardableResult
    public func recordPolicyInForce(id: String, version: String, at date: Date) throws -> AuditEntry? {
        let at = Timestamp.format(date)  // as the log stores it
        return try database.write { db in
            let previous = try AuditLog.latest(.policyChange, in: db)?.policyVersion
            guard previous != version else { return nil }
            return try AuditLog.append(
                AuditRecord(
                    kind: .policyChange, at: at, policyVersion: version,
                    details: .object(["policy_id": .string(id), "previous_version": previous.map(JSONValue.string) ?? .null])),
                in: db)
        }
    }

    /// The whole chain, recomputed, and checked against every anchored head.
    ///
    /// An intact log is confirmed by `FastChainCheck`, over both halves of the log at once;
    /// anything else is examined entry by entry by `AuditLog.verify`, which names the problem.
    public func verify() async throws -> AuditVerification {
        let anchors = try anchorFile.anchors()
        if let confirmed = try await confirmIntact(anchors: anchors) { return confirmed }
        return try await database.writer.read { db in try AuditLog.verify(in: db, anchors: anchors) }
    }

    /// Logs shorter than this are checked in one range (two reads cost more than they save).
    static let parallelThreshold: Int64 = 20_000

    private func confirmIntact(anchors: [AuditAnchorFile.Anchor]) async throws -> AuditVerification? {
        let last = try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_entry") } ?? 0
        guard last > 0, anchors.allSatisfy({ $0.seq <= last }) else { return nil }
        let anchoredSeqs = Set(anchors.map(\.seq))
        let middle = last / 2
        let ranges: [ClosedRange<Int64>] = last < Self.parallelThreshold ? [1...last] : [1...middle, (middle + 1)...last]
        let results = try await withThrowingTaskGroup(of: (Int, FastChainCheck.RangeResult?).self) { group in
            for (index, range) in ranges.enumerated() {
                group.addTask { [database] in
                    (index, try await database.writer.read { db in try FastChainCheck.check(range, anchoredSeqs: anchoredSeqs, in: db) })
                }
            }
            var results = [FastChainCheck.RangeResult?](repeating: nil, count: ranges.count)
            for try await (index, result) in group { results[index] = result }
            return results
        }
        // Stitch the ranges: each starts where the one before ended, the first at the genesis.
        var expectedPrev = Array(AuditChain.genesisHash.utf8)
        var anchoredHashes: [Int64: [UInt8]] = [:]
        for result in results {
            guard let result, result.firstPrevHash == expectedPrev, let lastHash = result.lastHash else { return nil }
            expectedPrev = lastHash
            anchoredHashes.merge(result.anchoredHashes) { first, _ in first }
        }
        guard anchors.allSatisfy({ anchoredHashes[$0.seq] == Array($0.hash.utf8) }) else { return nil }
        return AuditVerification(
            ok: true, entries: Int(last), head: (last, String(decoding: expectedPrev, as: UTF8.self)), firstBadSeq: nil,
            anchorsChecked: anchoredSeqs.count)
    }

    /// Appends the current head to the anchor file unless it is anchored already.
    /// - Returns: the new anchor, or nil when there was nothing new to anchor.
    @discardableResult
    public func anchorHead(at date: Date) async throws -> AuditAnchorFile.Anchor? {
        try anchorFile.anchor(try await database.writer.read { db in try AuditLog.head(in: db) }, at: date)
    }

    public func entries(_ query: AuditQuery = AuditQuery()) async throws -> [AuditEntry] {
        try await database.writer.read { db in try AuditLog.entries(query, in: db) }
    }

    /// The sealed facts of a decision's entry, found through its admission: open, or erased
    /// (an erased subject's entries read as such, never as an error).
    /// - Throws: `StoreError.corruptRecord` when the entry names no stored admission, or the
    ///   facts do not open under the subject's key.
    public func facts(of entry: AuditEntry, keyring: SubjectKeyring) async throws -> SealedFacts {
        guard let sealed = entry.sealed, let admissionID = entry.admissionID else { return .none }
        return try await database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT subject_ref, erased_at FROM admission WHERE id = ?", arguments: [admissionID])
            else { throw StoreError.corruptRecord("audit entry \(entry.seq) names admission \(admissionID), which is not stored") }
            guard (row["erased_at"] as String?) == nil else { return .erased }
            let key = try keyring.existingKey(forLookup: (row["subject_ref"] as StoredLookup).hex, in: db)
            return try SealedFacts.opening(sealed, with: key, entry: entry.seq)
        }
    }

    /// The sealed facts of an entry, opened with its subject's key; nil once the key was erased.
    public func unsealedFacts(of entry: AuditEntry, subjectLookup: String, keyring: SubjectKeyring) async throws -> [UInt8]? {
        guard let sealed = entry.sealed else { return nil }
        return try await database.writer.read { db in
            try keyring.existingKey(forLookup: subjectLookup, in: db).map { try $0.open(sealed) }
        }
    }
}
