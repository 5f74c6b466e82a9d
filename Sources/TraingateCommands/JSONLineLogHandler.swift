import Foundation
import Logging
import StrictDocuments

/// `log.format: json`: one JSON object per line on stderr, for a log shipper. Keys: `at` (RFC
/// 3339 UTC), `level`, `label`, `message`, and the event's metadata (the request id as
/// `hb.request.id`, …) as members of `metadata`. Each line is one `write`, so lines from
/// different threads never interleave.
struct JSONLineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let write: @Sendable ([UInt8]) -> Void

    init(label: String, write: @escaping @Sendable ([UInt8]) -> Void = { FileHandle.standardError.write(Data($0)) }) {
        self.label = label
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        write(Self.line(event: event, label: label, metadata: metadata, at: Date()))
    }

    /// The line for an event (its own metadata over the handler's), ending in a newline.
    static func line(event: LogEvent, label: String, metadata: Logger.Metadata, at date: Date) -> [UInt8] {
        var object: [String: JSONValue] = [
            "at": .string(Timestamp.format(date)), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string(event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty { object["metadata"] = .object(merged.mapValues(json)) }
        return CanonicalJSON.encode(.object(object)) + [UInt8(ascii: "\n")]
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let members): .object(members.mapValues(json))
        }
    }
}
