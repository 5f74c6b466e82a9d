/// A page of the audit log: entries after a `seq`, optionally filtered (`GET /v1/audit`).
public struct AuditQuery: Sendable, Equatable {
    public static let limitRange = 1...1000

    /// Entries with `seq` greater than this (the cursor; 0 for the start).
    public var after: Int64
    public var limit: Int
    public var kind: AuditEntry.Kind?
    public var decision: String?
    /// Entries whose reason codes include this one.
    public var reason: String?
    /// RFC 3339; entries at or after this time.
    public var since: String?
    /// RFC 3339; entries before this time.
    public var until: String?

    public init(
        after: Int64 = 0, limit: Int = 100, kind: AuditEntry.Kind? = nil, decision: String? = nil, reason: String? = nil,
        since: String? = nil, until: String? = nil
    ) {
        self.after = after
        self.limit = limit
        self.kind = kind
        self.decision = decision
        self.reason = reason
        self.since = since
        self.until = until
    }
}
