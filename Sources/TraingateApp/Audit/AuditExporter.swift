import NIOCore
import StrictDocuments
import TraingateStore

/// Writes the whole audit log as JSON Lines or CSV, one page of entries at a time, so memory
/// stays constant however long the log is (docs/benchmarks.md has the measured RSS).
public struct AuditExporter: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case jsonl
        case csv

        var contentType: String {
            switch self {
            case .jsonl: "application/jsonl; charset=utf-8"
            case .csv: "text/csv; charset=utf-8; header=present"
            }
        }
    }

    static let pageSize = 1000

    let store: any AuditLogStore

    public init(store: any AuditLogStore) {
        self.store = store
    }

    /// Calls `emit` with successive chunks of the export, in `seq` order. Entries appended while
    /// the export runs are included up to the moment the last page is read: the output is always
    /// a prefix of the chain, which verifies on its own.
    public func export(_ format: Format, emit: (ByteBuffer) async throws -> Void) async throws {
        if format == .csv { try await emit(ByteBuffer(string: Self.csvRecord(AuditEntryBody.csvHeader))) }
        var after: Int64 = 0
        while true {
            let page = try await store.entries(AuditQuery(after: after, limit: Self.pageSize))
            guard let last = page.last else { return }
            var chunk = ByteBuffer()
            for entry in page {
                switch format {
                case .jsonl:
                    chunk.writeBytes(CanonicalJSON.encode(AuditEntryBody(entry: entry).json))
                    chunk.writeInteger(UInt8(ascii: "\n"))
                case .csv:
                    chunk.writeString(Self.csvRecord(AuditEntryBody(entry: entry).csvFields))
                }
            }
            try await emit(chunk)
            if page.count < Self.pageSize { return }
            after = last.seq
        }
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF ends.
    static func csvRecord(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\r\n"
    }
}
