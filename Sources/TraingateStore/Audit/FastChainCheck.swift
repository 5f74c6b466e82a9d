import Crypto
import Foundation
import GRDB
import GRDBSQLite
import StrictDocuments

/// Confirms an intact chain quickly: reads each row's columns as raw bytes, writes the
/// canonical bytes into one reused buffer, and checks every stored hash against the hash before
/// it and its fields. Ranges of the log are checked in parallel, each starting from the stored
/// hash of the entry before it, and stitched together at their edges.
///
/// It only ever says "intact" or "look closer": any doubt (a column of the wrong type, a hash
/// that does not match, text that is not canonical) sends the caller to `AuditLog.verify`,
/// which decodes every field and reports exactly what is wrong.
enum FastChainCheck {
    struct RangeResult: Sendable {
        var count: Int
        var firstPrevHash: [UInt8]?
        var lastHash: [UInt8]?
        /// The hash the range's first entry follows, the range's last hash, and the stored hashes
        /// at the anchored seqs that fall in the range: all as the UTF-8 of their hex.
        var anchoredHashes: [Int64: [UInt8]]
    }

    /// One column of the current row, as the canonical writer needs it.
    enum Column {
        case null
        case bytes(UnsafeRawBufferPointer)
        case wrongType

        var value: UnsafeRawBufferPointer? {
            if case .bytes(let buffer) = self { return buffer }
            return nil
        }
        var isWrongType: Bool {
            if case .wrongType = self { return true }
            return false
        }
    }

    /// Checks entries `range` in one read; nil when anything needs a closer look.
    static func check(_ range: ClosedRange<Int64>, anchoredSeqs: Set<Int64>, in db: Database) throws -> RangeResult? {
        // The hash the first entry follows: the genesis hash, or the stored hash of the entry
        // before the range (the compact log stores no `prev_hash` where it is that hash).
        var previousHash = [UInt8](repeating: 0, count: 32)
        if range.lowerBound > 1 {
            let before = try DatabaseValue.fetchOne(
                db, sql: "SELECT hash FROM audit_entry WHERE seq = ?", arguments: [range.lowerBound - 1])
            guard case .blob(let hash)? = before?.storage, hash.count == 32 else { return nil }
            previousHash = Array(hash)
        }
        // The compact columns are read raw and turned into their canonical text here: a
        // subquery and a hex() per row in SQL cost a third of the check's speed.
        var policyVersions: [Int64: [UInt8]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, version FROM known_policy_version") {
            guard case .int64(let id) = (row[0] as DatabaseValue).storage, case .string(let version) = (row[1] as DatabaseValue).storage
            else { return nil }
            policyVersions[id] = Array(version.utf8)
        }
        var subjectHex = [UInt8](repeating: 0, count: 64)
        let statement = try db.makeStatement(
            sql: """
                SELECT e.seq, e.v, e.at, e.kind, e.admission_id, e.decision, e.reason_codes, e.policy_version, e.subject_ref,
                    e.sealed, e.details, e.prev_hash, e.hash FROM audit_entry e WHERE e.seq BETWEEN ? AND ? ORDER BY e.seq
                """)
        try statement.setArguments([range.lowerBound, range.upperBound])
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        var result = RangeResult(count: 0, firstPrevHash: Array(Hex.encode(previousHash).utf8), lastHash: nil, anchoredHashes: [:])
        var canonical: [UInt8] = []
        canonical.reserveCapacity(2048)
        var expectedSeq = range.lowerBound

        /// A column's bytes when it holds `type`, nil when it is NULL, and `.wrongType` otherwise.
        /// Empty values are empty buffers, never NULL: '' and X'' must not read as absent fields.
        func column(_ column: Int32, _ type: Int32) -> Column {
            let stored = sqlite3_column_type(raw, column)
            if stored == SQLITE_NULL { return .null }
            guard stored == type else { return .wrongType }
            let base = sqlite3_column_blob(raw, column)
            let count = Int(sqlite3_column_bytes(raw, column))
            return .bytes(UnsafeRawBufferPointer(start: count == 0 ? nil : base, count: count))
        }

        while true {
            let step = sqlite3_step(raw)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: step)) }
            let seq = sqlite3_column_int64(raw, 0)
            let at = column(2, SQLITE_TEXT), kind = column(3, SQLITE_TEXT), admissionID = column(4, SQLITE_TEXT)
            let decision = column(5, SQLITE_TEXT), reasonCodes = column(6, SQLITE_TEXT)
            // A policy version by reference, a pseudonym as its 32 bytes: anything else is for
            // the careful check to name.
            var policyVersion: [UInt8]?
            switch sqlite3_column_type(raw, 7) {
            case SQLITE_NULL: policyVersion = nil
            case SQLITE_INTEGER:
                guard let version = policyVersions[sqlite3_column_int64(raw, 7)] else { return nil }
                policyVersion = version
            default: return nil
            }
            var hasSubject = false
            switch sqlite3_column_type(raw, 8) {
            case SQLITE_NULL: hasSubject = false
            case SQLITE_BLOB:
                guard let subject = column(8, SQLITE_BLOB).value, subject.count == 32 else { return nil }
                Self.writeHex(subject, into: &subjectHex)
                hasSubject = true
            default: return nil
            }
            let sealed = column(9, SQLITE_BLOB), details = column(10, SQLITE_TEXT), storedPrevHash = column(11, SQLITE_BLOB)
            // Checked one by one: an array of them would be an allocation per entry on this hot loop.
            guard seq == expectedSeq, sqlite3_column_type(raw, 1) == SQLITE_INTEGER, !admissionID.isWrongType,
                !decision.isWrongType, !sealed.isWrongType,
                !details.isWrongType, !storedPrevHash.isWrongType,
                let at = at.value, let kind = kind.value, let reasonCodes = reasonCodes.value,
                let hash = column(12, SQLITE_BLOB).value, hash.count == 32
            else { return nil }
            // A stored `prev_hash` exists only where it differed when the log was compacted.
            if let stored = storedPrevHash.value {
                guard stored.count == 32, previousHash.withUnsafeBytes({ memcmp($0.baseAddress!, stored.baseAddress!, 32) == 0 })
                else { return nil }
            }
            canonical.removeAll(keepingCapacity: true)
            Self.withBytes(policyVersion) { policyVersion in
                subjectHex.withUnsafeBytes { subjectBytes in
                    CanonicalEntryWriter<UnsafeRawBufferPointer>(
                        version: Int(sqlite3_column_int64(raw, 1)), seq: seq, at: at, kind: kind, admissionID: admissionID.value,
                        decision: decision.value, reasonCodesJSON: reasonCodes, policyVersion: policyVersion,
                        subjectRef: hasSubject ? subjectBytes : nil, sealed: sealed.value, detailsJSON: details.value
                    ).write(into: &canonical)
                }
            }
            var hasher = SHA256()
            hasher.update(data: previousHash)
            hasher.update(data: canonical)
            guard hasher.finalize().withUnsafeBytes({ memcmp($0.baseAddress!, hash.baseAddress!, 32) == 0 }) else { return nil }
            previousHash.withUnsafeMutableBytes { $0.copyMemory(from: hash) }
            if anchoredSeqs.contains(seq) { result.anchoredHashes[seq] = Array(Hex.encode(previousHash).utf8) }
            expectedSeq += 1
            result.count += 1
        }
        guard result.count == range.count else { return nil }
        result.lastHash = Array(Hex.encode(previousHash).utf8)
        return result
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes` into the first 2×count bytes of `output`.
    private static func writeHex(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        for index in 0..<bytes.count {
            output[2 * index] = hexDigits[Int(bytes[index] >> 4)]
            output[2 * index + 1] = hexDigits[Int(bytes[index] & 0x0F)]
        }
    }

    private static func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }
}
