import Foundation
import GRDB
import StrictDocuments
import Synchronization

/// Whether a decision could be recorded now: `/readyz` asks, so that a load balancer stops
/// sending admissions to an instance whose disk is full or whose database turned read-only,
/// instead of that instance answering 503 to each of them.
///
/// The probe rewrites one row through the group-commit writer, the path every admission takes,
/// and commits it durably. `/readyz` is open to anyone, so one probe's answer stands for
/// `maximumAge`: a flood of probes costs at most one write a second.
public final class WritabilityProbe: Sendable {
    private let committer: GroupCommitWriter
    private let maximumAge: Duration
    private let last = Mutex<(at: ContinuousClock.Instant, problem: String?)?>(nil)

    public init(committer: GroupCommitWriter, maximumAge: Duration = .seconds(1)) {
        self.committer = committer
        self.maximumAge = maximumAge
    }

    /// Nil when a write commits, else what went wrong.
    public func problem(now: Date = Date()) async -> String? {
        if let cached = last.withLock({ $0 }), ContinuousClock.now - cached.at < maximumAge { return cached.problem }
        let at = Timestamp.format(now)
        var problem: String?
        do {
            try await committer.submit { db in
                try db.execute(
                    sql: "INSERT INTO readiness_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at", arguments: [at])
            }
        } catch {
            problem = "\(error)"
        }
        last.withLock { $0 = (ContinuousClock.now, problem) }
        return problem
    }
}
