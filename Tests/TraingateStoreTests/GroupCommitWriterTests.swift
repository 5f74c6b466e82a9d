import Foundation
import GRDB
import Testing
@testable import TraingateStore

@Suite struct GroupCommitWriterTests {
    private struct Refused: Error {}

    /// Jobs of one batch share a transaction; one that fails (its own error, or SQLite refusing
    /// its write) takes nothing of the others with it, and leaves no trace itself.
    @Test(.timeLimit(.minutes(1))) func aFailingJobLeavesTheRestOfItsBatchCommitted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-gc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory)
        let committer = GroupCommitWriter(writer: database.writer)
        // Submitted before the writer runs, so all six land in the same batch.
        let jobs = (0..<6).map { index in
            Task {
                try await committer.submit { db in
                    let entry = try AuditLog.append(AuditRecord(kind: .decision, at: "2026-11-28T12:00:00Z", admissionID: "job-\(index)"), in: db)
                    if index == 2 { throw Refused() }
                    if index == 4 { try db.execute(sql: "INSERT INTO objection (subject_ref, registered_at) VALUES (NULL, 'x')") }
                    return entry.seq
                }
            }
        }
        while committer.pendingJobs < 6 { try await Task.sleep(for: .milliseconds(5)) }
        let run = Task { try await committer.run() }
        var outcomes: [String] = []
        for job in jobs {
            do {
                outcomes.append("seq \(try await job.value)")
            } catch is Refused {
                outcomes.append("refused")
            } catch let error as StoreError {
                outcomes.append(error.code == .writeFailed ? "write failed" : "other")
            }
        }
        #expect(outcomes == ["seq 1", "seq 2", "refused", "seq 3", "write failed", "seq 4"])
        #expect(committer.committedTransactions == 1)
        let audit = AuditStore(database: database)
        let verification = try await audit.verify()
        #expect(verification.ok && verification.entries == 4)
        #expect(try await audit.entries().map(\.admissionID) == ["job-0", "job-1", "job-3", "job-5"])
        run.cancel()
        _ = try? await run.value
    }

    /// Shutdown stops new work but never drops work already accepted: jobs that were waiting when
    /// the stop came are committed (and answered) before `run` returns.
    @Test(.timeLimit(.minutes(1))) func jobsWaitingWhenShutdownBeginsAreStillCommitted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-gc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory)
        let committer = GroupCommitWriter(writer: database.writer, maxBatchSize: 2)
        let jobs = (0..<5).map { index in
            Task {
                try await committer.submit { db in
                    try AuditLog.append(AuditRecord(kind: .decision, at: "2026-11-28T12:00:00Z", admissionID: "job-\(index)"), in: db).seq
                }
            }
        }
        while committer.pendingJobs < 5 { try await Task.sleep(for: .milliseconds(5)) }
        // Cancelled before it starts: it stops accepting at once, then writes what is pending.
        let run = Task { try await committer.run() }
        run.cancel()
        try await run.value
        var sequence: [Int64] = []
        for job in jobs { sequence.append(try await job.value) }
        #expect(sequence.sorted() == [1, 2, 3, 4, 5])
        #expect(committer.committedTransactions == 3, "five jobs in batches of at most two")
        await #expect {
            try await committer.submit { _ in 0 }
        } throws: { error in
            (error as? StoreError)?.code == .unavailable
        }
    }
}
