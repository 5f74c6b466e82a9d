import Logging
import ServiceLifecycle
import TraingateStore

/// Appends audit entries on PostgreSQL, group-committed (`PostgresGroupCommitter`): the records
/// of one group lock the chain head once, and each submitter resumes once its entry is durable.
public final class PostgresAuditWriter: Service, Sendable {
    private let committer: PostgresGroupCommitter<AuditRecord, AuditEntry>

    public init(store: PostgresStore, maxBatchSize: Int = 512, maxPendingJobs: Int = 10_000) {
        let (logger, texts) = (store.logger, store.committedTexts)
        committer = PostgresGroupCommitter(store: store, maxBatchSize: maxBatchSize, maxPendingJobs: maxPendingJobs) { group, connection in
            try await PostgresAuditChain.append(texts: texts, group.jobs(), on: connection, logger: logger)
        }
    }

    /// Transactions committed so far; with concurrent submitters this stays below the record count.
    public var committedTransactions: Int { committer.committedTransactions }

    /// Appends `record` to the chain and returns its entry once the entry is durable.
    public func append(_ record: AuditRecord) async throws -> AuditEntry {
        try await committer.submit(record)
    }

    public func run() async throws {
        try await committer.run()
    }
}
