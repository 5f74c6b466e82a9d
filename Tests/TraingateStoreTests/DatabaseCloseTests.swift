import Foundation
import GRDB
import Testing
@testable import TraingateStore

@Suite struct DatabaseCloseTests {
    /// After a clean stop the database file alone is complete: an operator who copies only
    /// `traingate.sqlite` (the log emptied) loses no decision and no audit entry.
    @Test(.timeLimit(.minutes(1))) func aCleanCloseLeavesEveryWriteInTheDatabaseFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-close-\(UUID().uuidString)")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-close-copy-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: directory)
            try? FileManager.default.removeItem(at: copy)
        }
        // Background checkpoints on (SQLite's automatic ones off) and no checkpointer running:
        // every write stays in the log until the close.
        let database = try AppDatabase.open(directory: directory, backgroundCheckpoints: true)
        let committer = GroupCommitWriter(writer: database.writer)
        let store = AdmissionStore(database: database, committer: committer, keyring: StoreFixture.keyring)
        let writer = Task { try await committer.run() }
        for index in 0..<50 { _ = try await store.record(StoreFixture.submission(imageID: "close-\(index)", image: nil)) }
        writer.cancel()
        _ = try? await writer.value
        // A read, as any running server makes: the pool then has reader connections to close.
        #expect(try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission") } == 50)
        let log = database.path + "-wal"
        #expect(StoreFixture.fileSize(log) > 0)

        try database.close()
        #expect(StoreFixture.fileSize(log) == 0)
        try database.close()  // a second close (shutdown, then a test or tool) changes nothing

        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: database.path, toPath: copy.appendingPathComponent(AppDatabase.fileName).path)
        let restored = try AppDatabase.open(directory: copy)
        defer { try? restored.close() }
        #expect(try await restored.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission") } == 50)
        let verification = try await AuditStore(database: restored).verify()
        #expect(verification.ok && verification.entries == 50)
    }
}
