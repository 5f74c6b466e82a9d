import Synchronization

/// The jobs one group commit writes, formed when the commit first asks for them (`jobs()`)
/// rather than when its transaction begins: a commit that locks the chain head first and only
/// then forms its group takes in every job that arrived while it waited for the lock (another
/// instance's group held it), so that instances sharing a database commit in larger groups as
/// they contend, not in more of them.
public final class PostgresCommitGroup<Job: Sendable>: Sendable {
    private let form: @Sendable () -> [Job]
    private let formed = Mutex<[Job]?>(nil)

    /// - Parameter form: takes the group's jobs from those waiting; called at most once.
    init(form: @escaping @Sendable () -> [Job]) {
        self.form = form
    }

    /// A group of fixed jobs (one job retried alone).
    convenience init(_ jobs: [Job]) {
        self.init(form: { jobs })
    }

    /// The group's jobs, formed at the first call.
    public func jobs() -> [Job] {
        formed.withLock { formed in
            if let formed { return formed }
            let jobs = form()
            formed = jobs
            return jobs
        }
    }
}
