import StrictDocuments

/// What registering an objection did: its audit entry, how many of the subject's items left the
/// training queue, and whether the objection was registered already.
public struct ObjectionReceipt: Sendable {
    public let audit: AuditEntry
    public let dequeued: Int
    public let alreadyRegistered: Bool

    package init(audit: AuditEntry, dequeued: Int, alreadyRegistered: Bool) {
        self.audit = audit
        self.dequeued = dequeued
        self.alreadyRegistered = alreadyRegistered
    }

    /// The objection's audit entry: the count and the key, never the subject.
    package static func record(dequeued: Int, alreadyRegistered: Bool, apiKey: String?, at: String) -> AuditRecord {
        var details: [String: JSONValue] = ["dequeued": .integer(dequeued), "already_registered": .bool(alreadyRegistered)]
        if let apiKey { details["api_key"] = .string(apiKey) }
        return AuditRecord(kind: .objection, at: at, details: .object(details))
    }
}
