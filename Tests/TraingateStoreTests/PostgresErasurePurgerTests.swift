import Synchronization
import Testing
@testable import TraingatePostgres

/// Erasures share the purge that takes replaced bucket keys out of PostgreSQL's files: each
/// waits for one that started after it committed, and those that commit during a purge share
/// the next one.
@Suite struct PostgresErasurePurgerTests {
    /// A purge that counts its runs and, while `held`, waits to be let go.
    final class Purges: Sendable {
        let runs = Mutex(0)
        let held = Mutex<CheckedContinuation<Void, Never>?>(nil)
        /// Erasures answered.
        let returned = Mutex(0)

        func run() async {
            let run = runs.withLock { runs in
                runs += 1
                return runs
            }
            if run == 1 { await withCheckedContinuation { continuation in held.withLock { $0 = continuation } } }
        }
    }

    @Test func erasuresCommittedDuringAPurgeShareTheNextAndNoneReturnsBeforeOneStartedAfterIt() async throws {
        let purges = Purges()
        let purger = PostgresErasurePurger { await purges.run() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await purger.afterCommit()
                purges.returned.withLock { $0 += 1 }
            }
            // The first purge is running (and held) before the others ask.
            while purges.held.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(1)) }
            for _ in 0..<9 {
                group.addTask {
                    await purger.afterCommit()
                    purges.returned.withLock { $0 += 1 }
                }
            }
            while await purger.asked < 10 { try await Task.sleep(for: .milliseconds(1)) }
            // No erasure is answered while the only purge that ran is the one started before most of them.
            #expect(purges.returned.withLock { $0 } == 0)
            purges.held.withLock { $0?.resume() }
            try await group.waitForAll()
        }
        #expect(purges.returned.withLock { $0 } == 10)
        #expect(purges.runs.withLock { $0 } == 2, "the nine that asked during the first purge share the second")
        await purger.afterCommit()
        #expect(purges.runs.withLock { $0 } == 3, "an erasure after the purges gets one of its own")
    }
}
