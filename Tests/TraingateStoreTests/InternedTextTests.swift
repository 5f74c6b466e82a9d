import Foundation
import GRDB
import PolicyEngine
import Testing
@testable import TraingateStore

/// Policy versions and reason lists are stored once and referred to by id; the writer reuses
/// ids it learned from committed writes only, so a write that failed can never leave a later
/// decision pointing at a list that does not exist.
@Suite struct InternedTextTests {
    @Test func identicalTextsAreStoredOnceAndEveryDecisionReadsBackItsOwn() async throws {
        try await StoreFixture.withStore { fixture in
            var ids: [String] = []
            for index in 0..<6 {
                let submission = StoreFixture.submission(
                    imageID: "img-\(index)", subjectID: "user-\(index)", verdict: index % 2 == 0 ? .admitted : .rejected,
                    requestHash: "h\(index)")
                guard case .created(let admission) = try await fixture.store.record(submission) else {
                    throw TestFailure("expected a new decision")
                }
                ids.append(admission.id)
            }
            let (lists, versions) = try await fixture.database.writer.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM reason_list")!,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM known_policy_version")!
                )
            }
            #expect(lists == 2 && versions == 1)
            for (index, id) in ids.enumerated() {
                let stored = try #require(try await fixture.store.admission(id: id))
                #expect(stored.reasons.map(\.code) == (index % 2 == 0 ? [] : [.visibilityNotPublic]))
                #expect(stored.policyVersion == DefaultPolicy.policy.version)
            }
        }
    }

    @Test func aListFirstWrittenByAFailedWriteIsWrittenAgainByTheNext() async throws {
        try await StoreFixture.withStore { fixture in
            try await fixture.database.writer.write { db in
                try db.execute(
                    sql: "CREATE TRIGGER refuse BEFORE INSERT ON admission WHEN NEW.image_id = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END")
            }
            // The first rejection (a new reason list) fails after its list was inserted.
            await #expect(throws: (any Error).self) {
                try await fixture.store.record(StoreFixture.submission(imageID: "refused", verdict: .rejected, requestHash: "a"))
            }
            #expect(try await fixture.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM reason_list") } == 0)
            guard
                case .created(let admission) = try await fixture.store.record(
                    StoreFixture.submission(imageID: "kept", verdict: .rejected, requestHash: "b"))
            else { throw TestFailure("expected a new decision") }
            let stored = try #require(try await fixture.store.admission(id: admission.id))
            #expect(stored.reasons.map(\.code) == [.visibilityNotPublic])
            #expect(try await AuditStore(database: fixture.database).verify().ok)
        }
    }
}
