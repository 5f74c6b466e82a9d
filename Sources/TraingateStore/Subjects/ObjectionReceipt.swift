/// What registering an objection did: its audit entry, how many of the subject's items left the
/// training queue, and whether the objection was registered already.
public struct ObjectionReceipt: Sendable {
    public let audit: AuditEntry
    public let dequeued: Int
    public let alreadyRegistered: Bool
}
