import GRDB

/// Read side of the audit log (the write side is `AuditLog.append`, inside other writes).
public struct AuditStore: Sendable {
    private let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func verify() async throws -> AuditVerification {
        try await database.writer.read { db in try AuditLog.verify(in: db) }
    }

    public func entries(after: Int64 = 0, limit: Int = 100) async throws -> [AuditEntry] {
        try await database.writer.read { db in try AuditLog.entries(after: after, limit: limit, in: db) }
    }
}
