import Crypto
import Foundation
import GRDB
import PolicyEngine
import Testing
@testable import TraingateStore

@Suite struct AdmissionStoreTests {
    @Test func theDatabaseIsWALWithFullSynchronousCommits() async throws {
        try await StoreFixture.withStore { fixture in
            // Asked of the connection that commits: GRDB's pool turns its writer to NORMAL.
            let (mode, synchronous) = try await fixture.database.writer.writeWithoutTransaction { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            #expect(mode == "wal")
            #expect(synchronous == 2)  // FULL: the WAL is fsynced at every commit
            #expect(try await fixture.database.isMigrated())
        }
    }

    @Test func theFactsAreSealedUnderTheSubjectsKeyAndErasingTheKeyShredsThem() async throws {
        try await StoreFixture.withStore { fixture in
            let audit = AuditStore(database: fixture.database)
            for (index, subject) in ["alice", "bob", "alice"].enumerated() {
                _ = try await fixture.store.record(StoreFixture.submission(imageID: "img-\(index)", subjectID: subject))
            }
            let entries = try await audit.entries()
            #expect(entries.map(\.version) == [2, 2, 2])
            // One subject, one key: alice's two entries link to each other, not to bob's.
            #expect(entries[0].subjectRef == entries[2].subjectRef)
            #expect(entries[0].subjectRef != entries[1].subjectRef)
            let sealed = try #require(entries[0].sealed)
            #expect(!String(decoding: sealed, as: UTF8.self).contains("alice"))
            let opened = try await audit.unsealedFacts(
                of: entries[0], subjectLookup: StoreFixture.lookup("alice"), keyring: StoreFixture.keyring)
            #expect(opened.map { String(decoding: $0, as: UTF8.self) } == #"{"image_id":"img-0","subject_id":"alice"}"#)
            // Another master key opens nothing.
            let stranger = SubjectKeyring(masterKey: SymmetricKey(size: .bits256))
            await #expect(throws: StoreError.self) {
                try await audit.unsealedFacts(of: entries[0], subjectLookup: StoreFixture.lookup("alice"), keyring: stranger)
            }

            // Crypto-shredding: without alice's key her entries stay in the chain, which still
            // verifies, but nothing can open them any more.
            try await fixture.database.writer.write { db in
                try db.execute(sql: "DELETE FROM subject_key WHERE lookup = ?", arguments: [StoredLookup(StoreFixture.lookup("alice"))])
            }
            let verification = try await audit.verify()
            #expect(verification.ok && verification.entries == 3)
            #expect(try await audit.unsealedFacts(of: entries[0], subjectLookup: StoreFixture.lookup("alice"), keyring: StoreFixture.keyring) == nil)
            #expect(try await audit.unsealedFacts(of: entries[1], subjectLookup: StoreFixture.lookup("bob"), keyring: StoreFixture.keyring) != nil)
            let wrappedKeys = try await fixture.database.writer.read { db in try Data.fetchAll(db, sql: "SELECT wrapped FROM subject_key") }
            #expect(wrappedKeys.count == 1)
        }
    }

    @Test func admissionIDsAreUnguessableButOrderedByTime() {
        let start = Date(timeIntervalSince1970: 1_795_867_200)
        let ids = (0..<50).map { AdmissionStore.newAdmissionID(now: start.addingTimeInterval(Double($0) * 0.002)) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("adm_") && $0.count == 4 + 32 })
        #expect(AdmissionStore.newAdmissionID(now: start) != AdmissionStore.newAdmissionID(now: start))
    }

    @Test func theAuditLogRefusesUpdatesAndDeletes() async throws {
        try await StoreFixture.withStore { fixture in
            _ = try await fixture.store.record(StoreFixture.submission())
            await #expect(throws: DatabaseError.self) {
                try await fixture.database.writer.write { db in try db.execute(sql: "UPDATE audit_entry SET decision = 'x'") }
            }
            await #expect(throws: DatabaseError.self) {
                try await fixture.database.writer.write { db in try db.execute(sql: "DELETE FROM audit_entry") }
            }
        }
    }

    @Test func verifyFindsTheFirstTamperedEntry() async throws {
        try await StoreFixture.withStore { fixture in
            for index in 1...5 { _ = try await fixture.store.record(StoreFixture.submission(imageID: "img-\(index)")) }
            try await fixture.database.writer.write { db in
                try db.execute(sql: "DROP TRIGGER audit_entry_no_update")
                try db.execute(sql: "UPDATE audit_entry SET decision = 'rejected' WHERE seq = 3")
            }
            let result = try await AuditStore(database: fixture.database).verify()
            #expect(result.ok == false)
            #expect(result.firstBadSeq == 3)
            #expect(result.entries == 2)
        }
    }

    @Test func aFullWriteQueueRefusesAtOnceInsteadOfGrowing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory)
        // Not running: nothing drains, so the queue fills up.
        let committer = GroupCommitWriter(writer: database.writer, maxPendingJobs: 3)
        let store = AdmissionStore(database: database, committer: committer, keyring: StoreFixture.keyring)
        let waiting = (0..<3).map { index in Task { try await store.record(StoreFixture.submission(imageID: "q\(index)")) } }
        try await Task.sleep(for: .milliseconds(200))
        await #expect {
            try await store.record(StoreFixture.submission(imageID: "one-too-many"))
        } throws: { error in
            (error as? StoreError)?.code == .overloaded
        }
        let run = Task { try await committer.run() }
        for task in waiting { #expect(try await task.value.admission.auditSeq > 0) }
        run.cancel()
        _ = try? await run.value
    }

    @Test func afterShutdownTheWriterRefusesNewWork() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory)
        let committer = GroupCommitWriter(writer: database.writer)
        let store = AdmissionStore(database: database, committer: committer, keyring: StoreFixture.keyring)
        let run = Task { try await committer.run() }
        _ = try await store.record(StoreFixture.submission())
        run.cancel()
        _ = try? await run.value
        await #expect {
            try await store.record(StoreFixture.submission(imageID: "late"))
        } throws: { error in
            (error as? StoreError)?.code == .unavailable
        }
    }
}
