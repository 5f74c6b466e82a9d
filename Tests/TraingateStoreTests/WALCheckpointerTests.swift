import Foundation
import GRDB
import Testing
@testable import TraingateStore

@Suite struct WALCheckpointerTests {
    @Test func writesStayInTheLogUntilTheCheckpointerCopiesThemBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory, backgroundCheckpoints: true)
        let autocheckpoint = try await database.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(autocheckpoint == 0)

        let committer = GroupCommitWriter(writer: database.writer)
        let store = AdmissionStore(database: database, committer: committer, keyring: StoreFixture.keyring)
        let writer = Task { try await committer.run() }
        for index in 0..<400 { _ = try await store.record(StoreFixture.submission(imageID: "wal-\(index)", image: nil)) }
        let before = StoreFixture.fileSize(database.path)
        #expect(StoreFixture.fileSize(database.path + "-wal") > before)  // the log holds what the file does not

        let checkpointer = Task { try await WALCheckpointer(database: database, interval: .milliseconds(10)).run() }
        var after = before
        for _ in 0..<300 where after <= before {
            try await Task.sleep(for: .milliseconds(10))
            after = StoreFixture.fileSize(database.path)
        }
        checkpointer.cancel()
        writer.cancel()
        _ = try? await checkpointer.value
        _ = try? await writer.value
        #expect(after > before)
        #expect(try await AuditStore(database: database).verify().entries == 400)
    }

    /// Under writes that never pause, a background checkpoint never catches up, and SQLite only
    /// rewinds a log that is fully copied back: without the rewind the log grew by gigabytes.
    @Test func theLogStaysBoundedWhileWritesNeverPause() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory, backgroundCheckpoints: true)
        let committer = GroupCommitWriter(writer: database.writer)
        let store = AdmissionStore(database: database, committer: committer, keyring: StoreFixture.keyring)
        let writer = Task { try await committer.run() }
        let rewindFrames = 256
        let checkpointer = Task {
            try await WALCheckpointer(database: database, interval: .milliseconds(5), rewindFrames: rewindFrames).run()
        }
        let logSizes = Task {
            var largest = 0
            while !Task.isCancelled {
                largest = max(largest, StoreFixture.fileSize(database.path + "-wal"))
                try? await Task.sleep(for: .milliseconds(2))
            }
            return largest
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<8 {
                group.addTask {
                    for index in 0..<500 { _ = try await store.record(StoreFixture.submission(imageID: "wal-\(client)-\(index)", image: nil)) }
                }
            }
            try await group.waitForAll()
        }
        logSizes.cancel()
        let largestLog = await logSizes.value
        checkpointer.cancel()
        writer.cancel()
        _ = try? await checkpointer.value
        _ = try? await writer.value
        // The log may hold the threshold plus what arrives during one round; far less than the
        // 4,000 admissions' pages it would hold if it were never rewound.
        #expect(largestLog < StoreFixture.fileSize(database.path))
        #expect(try await AuditStore(database: database).verify().entries == 4000)
    }
}
