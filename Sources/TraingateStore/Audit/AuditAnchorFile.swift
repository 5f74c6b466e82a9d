#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import StrictDocuments

/// The chain's head, recorded from time to time in an append-only file outside the database
/// (`audit-anchors.jsonl` in the data directory): one JSON line per anchor, `seq`, `hash`, `at`.
///
/// A chain that was truncated, or whose tail was rewritten with recomputed hashes, still
/// verifies on its own; it no longer matches an anchor taken before the change. The file is
/// only as trustworthy as its copies: ship it (or the log lines the anchorer writes) somewhere
/// the database's writers cannot reach.
public struct AuditAnchorFile: Sendable {
    public static let fileName = "audit-anchors.jsonl"

    public struct Anchor: Sendable, Equatable {
        public let seq: Int64
        public let hash: String
        public let at: String
    }

    public let path: String
    /// The newest seq in the file, once read (shared by copies of this value).
    private let lastAnchoredSeq = SharedMutex<Int64?>(nil)

    /// - Parameter fileName: the file in `directory`; `audit-anchors.jsonl` for the SQLite store
    ///   of that directory (a PostgreSQL store's anchors have a file of their own).
    public init(directory: URL, fileName: String = Self.fileName) {
        path = directory.appendingPathComponent(fileName).path
    }

    /// Appends `head` as an anchor at `date` unless it is anchored already.
    /// - Returns: the new anchor, or nil when there was nothing new to anchor.
    public func anchor(_ head: (seq: Int64, hash: String)?, at date: Date) throws -> Anchor? {
        guard let head else { return nil }
        // The file is read once; after that the last seq anchored through this value is remembered.
        let lastAnchored = try lastAnchoredSeq.withLock { seq in
            if seq == nil { seq = try anchors().last?.seq ?? 0 }
            return seq ?? 0
        }
        guard head.seq > lastAnchored else { return nil }
        let anchor = Anchor(seq: head.seq, hash: head.hash, at: Timestamp.format(date))  // as the log stores times
        try append(anchor)
        lastAnchoredSeq.withLock { $0 = max($0 ?? 0, anchor.seq) }
        return anchor
    }

    /// Every anchor in the file (none when it does not exist yet). A last line cut short by a
    /// crash in the middle of an append (it has no closing brace) is skipped.
    /// - Throws: `StoreError.corruptRecord` naming any other line that is not an anchor.
    public func anchors() throws -> [Anchor] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var anchors: [Anchor] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            guard case .object(let fields) = try? JSONValue.parse(line) else {
                if line.last != UInt8(ascii: "}") { continue }  // torn: written only in part
                throw StoreError.corruptRecord("\(path) line \(index + 1) is not an anchor")
            }
            guard case .integer(let number)? = fields["seq"], let seq = Int64(exactly: number), seq > 0,
                case .string(let hash)? = fields["hash"], case .string(let at)? = fields["at"]
            else { throw StoreError.corruptRecord("\(path) line \(index + 1) is not an anchor") }
            anchors.append(Anchor(seq: seq, hash: hash, at: at))
        }
        return anchors
    }

    /// Appends one anchor and fsyncs it: O_APPEND, never a rewrite of what is there. After a
    /// torn line the new anchor starts on a line of its own.
    public func append(_ anchor: Anchor) throws {
        let line =
            CanonicalJSON.encode(
                .object(["seq": .number(Double(anchor.seq)), "hash": .string(anchor.hash), "at": .string(anchor.at)])) + [0x0A]
        let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw StoreError.corruptRecord("cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        var status = stat()
        var last: UInt8 = 0x0A
        guard fstat(descriptor, &status) == 0, status.st_size == 0 || pread(descriptor, &last, 1, status.st_size - 1) == 1 else {
            throw StoreError.corruptRecord("cannot read \(path): errno \(errno)")
        }
        let bytes = last == 0x0A ? line : [0x0A] + line
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw StoreError.corruptRecord("cannot append to \(path): errno \(errno)")
        }
    }
}
