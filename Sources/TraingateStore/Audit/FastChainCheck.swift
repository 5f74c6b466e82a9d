import Crypto
import Foundation
import GRDB
import GRDBSQLite
import StrictDocuments

/// Confirms an intact chain quickly: reads each row's columns as raw bytes, writes the
/// canonical bytes into one reused buffer, and checks every stored hash against its stored
/// `prev_hash` and fields. Since every row names the hash it follows, ranges of the log can be
/// checked in parallel and stitched together at their edges.
///
/// It only ever says "intact" or "look closer": any doubt (a column of the wrong type, a hash
/// that does not match, text that is not canonical) sends the caller to `AuditLog.verify`,
/// which decodes every field and reports exactly what is wrong.
enum FastChainCheck {
    struct RangeResult: Sendable {
        var count: Int
        var firstPrevHash: [UInt8]?
        var lastHash: [UInt8]?
        /// Stored hashes (hex) at the anchored seqs that fall in the range.
        var anchoredHashes: [Int64: [UInt8]]
    }

    /// Checks entries `range` in one read; nil when anything needs a closer look.
    static func check(_ range: ClosedRange<Int64>, anchoredSeqs: Set<Int64>, in db: Database) throws -> RangeResult? {
        let statement = try db.makeStatement(
            sql: """
                SELECT seq, v, at, kind, admission_id, decision, reason_codes, policy_version, subject_ref, sealed,
                    details, prev_hash, hash FROM audit_entry WHERE seq BETWEEN ? AND ? ORDER BY seq
                """)
        try statement.setArguments([range.lowerBound, range.upperBound])
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        var result = RangeResult(count: 0, firstPrevHash: nil, lastHash: nil, anchoredHashes: [:])
        var canonical: [UInt8] = []
        canonical.reserveCapacity(2048)
        var expectedSeq = range.lowerBound
        // Reused across rows: the previous row's hash (hex) and this row's prev_hash (raw).
        var previousHash = [UInt8](repeating: 0, count: 64)
        var prevRaw = [UInt8](repeating: 0, count: 32)

        func bytes(_ column: Int32) -> UnsafeRawBufferPointer? {
            guard sqlite3_column_type(raw, column) != SQLITE_NULL, let base = sqlite3_column_blob(raw, column) else { return nil }
            return UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(raw, column)))
        }
        func text(_ column: Int32) -> UnsafeRawBufferPointer? {
            guard sqlite3_column_type(raw, column) == SQLITE_TEXT, let base = sqlite3_column_blob(raw, column) else { return nil }
            return UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(raw, column)))
        }

        while true {
            let step = sqlite3_step(raw)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: step)) }
            let seq = sqlite3_column_int64(raw, 0)
            guard seq == expectedSeq, sqlite3_column_type(raw, 1) == SQLITE_INTEGER,
                let at = text(2), let kind = text(3), let reasonCodes = text(6),
                let prevHash = text(11), prevHash.count == 64, let hash = text(12), hash.count == 64,
                HexBytes.decode(prevHash, into: &prevRaw)
            else { return nil }
            if result.count > 0 {
                guard previousHash.withUnsafeBytes({ memcmp($0.baseAddress!, prevHash.baseAddress!, 64) == 0 }) else { return nil }
            } else {
                result.firstPrevHash = Array(prevHash)
            }
            let sealedType = sqlite3_column_type(raw, 9)
            guard sealedType == SQLITE_NULL || sealedType == SQLITE_BLOB else { return nil }
            canonical.removeAll(keepingCapacity: true)
            CanonicalEntryWriter<UnsafeRawBufferPointer>(
                version: Int(sqlite3_column_int64(raw, 1)), seq: seq, at: at, kind: kind, admissionID: text(4),
                decision: text(5), reasonCodesJSON: reasonCodes, policyVersion: text(7), subjectRef: text(8),
                sealed: bytes(9), detailsJSON: text(10)
            ).write(into: &canonical)
            var hasher = SHA256()
            hasher.update(data: prevRaw)
            hasher.update(data: canonical)
            guard hasher.finalize().withUnsafeBytes({ HexBytes.matches($0, hex: hash) }) else { return nil }
            previousHash.withUnsafeMutableBytes { $0.copyMemory(from: hash) }
            if anchoredSeqs.contains(seq) { result.anchoredHashes[seq] = previousHash }
            expectedSeq += 1
            result.count += 1
        }
        if result.count > 0 { result.lastHash = previousHash }
        guard result.count == range.count else { return nil }
        result.lastHash = previousHash
        return result
    }
}
