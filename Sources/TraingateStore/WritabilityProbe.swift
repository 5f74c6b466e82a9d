import Foundation
import GRDB
import StrictDocuments
import Synchronization

/// Whether a decision could be recorded now: `/readyz` asks, so that a load balancer stops
/// sending admissions to an instance whose disk is full or whose database turned read-only,
/// instead of that instance answering 503 to each of them.
///
/// The probe rewrites one row on the path every admission takes (SQLite's group-commit writer)
/// and commits it durably. `/readyz` is open to anyone, so one probe's answer stands for
/// `maximumAge`: a flood of probes costs at most one write a second.
public final class WritabilityProbe: Sendable {
    private let write: @Sendable (_ at: String) async throws -> Void
    private let maximumAge: Duration
    private let last = Mutex<(at: ContinuousClock.Instant, problem: String?)?>(nil)

    /// - Parameter write: rewrites the probe's row with the given time and commits durably.
    public init(maximumAge: Duration = .seconds(1), write: @escaping @Sendable (_ at: String) async throws -> Void) {
        self.write = write
        self.maximumAge = maximumAge
    }

    /// The probe of SQLite's store: through its group-commit writer.
    public convenience init(committer: GroupCommitWriter, maximumAge: Duration = .seconds(1)) {
        self.init(maximumAge: maximumAge) { at in
            try await committer.submit { db in
                try db.execute(
                    sql: "INSERT INTO readiness_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at", arguments: [at])
            }
        }
    }

    /// Nil when a write commits, else what went wrong.
    public func problem(now: Date = Date()) async -> String? {
        if let cached = last.withLock({ $0 }), ContinuousClock.now - cached.at < maximumAge { return cached.problem }
        var problem: String?
        do {
            try await write(Timestamp.format(now))
        } catch {
            problem = "\(error)"
        }
        last.withLock { $0 = (ContinuousClock.now, problem) }
        return problem
    }
}
