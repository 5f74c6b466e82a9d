import Crypto
import Foundation
import Logging
import NIOCore
import PostgresNIO
import PostgresTesting
import Testing
@testable import TraingatePostgres
@testable import TraingateStore

/// An erasure on one instance takes the subject's key and its bucket's old key out of every
/// instance's memory (`PostgresErasureNotices`), and an instance that may have missed a notice
/// keeps no key at all.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresErasureNoticesTests {
    /// One instance: its own keyring (so its own caches) under the shared master key, its
    /// admissions and its listener running.
    struct Instance {
        let keyring: SubjectKeyring
        let admissions: PostgresAdmissionStore
        let rights: PostgresSubjectRightsStore
        let notices: PostgresErasureNotices

        func caches(_ subjectID: String) -> (subject: Bool, bucket: Bool) {
            (
                keyring.cache.contains(lookup: StoreFixture.lookup(subjectID)),
                keyring.bucketKeys.contains(PostgresKeyBucketTests.bucket(of: subjectID))
            )
        }
    }

    static func withInstances<T: Sendable>(_ url: String, _ body: @Sendable ([Instance]) async throws -> T) async throws -> T {
        func nest(_ made: [Instance]) async throws -> T {
            guard made.count < 2 else { return try await body(made) }
            return try await PostgresTestDatabase.running(url: url) { database in
                let keyring = StoreFixture.freshKeyring()
                let instance = Instance(
                    keyring: keyring, admissions: PostgresAdmissionStore(store: database, keyring: keyring),
                    rights: PostgresSubjectRightsStore(store: database, keyring: keyring),
                    notices: PostgresErasureNotices(
                        location: try PostgresLocation(url: url), keyring: keyring, interval: .seconds(1), logger: database.logger))
                return try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await instance.admissions.committer.run() }
                    group.addTask { try await instance.notices.run() }
                    defer { group.cancelAll() }
                    try await Eventually.wait("listening") { instance.notices.isListening }
                    return try await nest(made + [instance])
                }
            }
        }
        return try await nest([])
    }

    /// Subject ids whose keys fall in different buckets.
    static let (erased, kept) = (
        "notice-0",
        (1...).lazy.map { "notice-\($0)" }.first { PostgresKeyBucketTests.bucket(of: $0) != PostgresKeyBucketTests.bucket(of: "notice-0") }!
    )

    @Test func anErasureOnAnotherInstanceTakesTheKeysOutOfThisOnesMemory() async throws {
        try await PostgresTestDatabase.withURL { url in
            try await Self.withInstances(url) { instances in
                for subject in [Self.erased, Self.kept] {
                    _ = try await instances[0].admissions.record(StoreFixture.submission(imageID: subject, subjectID: subject))
                }
                #expect(instances[0].caches(Self.erased) == (true, true) && instances[0].caches(Self.kept) == (true, true))
                // What anyone allowed to connect hears on the channel: the bucket, no pseudonym.
                let listening = Latch()
                let connection = try await PostgresConnection.connect(
                    configuration: try PostgresLocation(url: url).connectionConfiguration(), id: 99, logger: Logger(label: "listener"))
                let overheard = Task {
                    try await connection.listen(on: PostgresErasureNotices.channel) { notices in
                        listening.raise()
                        for try await notice in notices { return notice.payload }
                        return ""
                    }
                }
                try await Eventually.wait("the test listening") { listening.isRaised }
                let heard = instances[0].notices.noticesHeard
                _ = try await instances[1].rights.erase(subjectRef: StoreFixture.lookup(Self.erased), at: Date(), apiKey: nil)
                try await Eventually.wait("the notice heard") { instances[0].notices.noticesHeard > heard }
                #expect(try await overheard.value == String(PostgresKeyBucketTests.bucket(of: Self.erased)))
                try await connection.close()
                #expect(instances[0].caches(Self.erased) == (false, false))
                // Only what the erasure reached: the other subject's keys stay in memory.
                #expect(instances[0].caches(Self.kept) == (true, true))
                // The next admission of the erased subject gets a new key, on either instance.
                let again = try await instances[0].admissions.record(StoreFixture.submission(imageID: "again", subjectID: Self.erased))
                #expect(again.isNew)
            }
        }
    }

    @Test func anInstanceWhoseListenerWasCutKeepsNoKeyAndListensAgain() async throws {
        try await PostgresTestDatabase.withURL { url in
            try await Self.withInstances(url) { instances in
                _ = try await instances[0].admissions.record(StoreFixture.submission(imageID: Self.kept, subjectID: Self.kept))
                _ = try await instances[0].admissions.record(StoreFixture.submission(imageID: Self.erased, subjectID: Self.erased))
                #expect(instances[0].caches(Self.kept) == (true, true))
                let cut = instances[0].notices.listeningBackendPID
                try await PostgresTestDatabase.running(url: url) { database in
                    var binds = PostgresBindings()
                    binds.append(cut)
                    _ = try await database.openClient().query(
                        PostgresQuery(unsafeSQL: "SELECT pg_terminate_backend($1)", binds: binds), logger: database.logger
                    ).collect()
                }
                // Erasures may have gone unheard while it was cut off: every cached key goes.
                try await Eventually.wait("listening again") { instances[0].notices.listeningBackendPID != cut && instances[0].notices.isListening }
                #expect(instances[0].caches(Self.kept) == (false, false))
                #expect(instances[0].caches(Self.erased) == (false, false))
                // And the new session hears the next erasure.
                _ = try await instances[0].admissions.record(StoreFixture.submission(imageID: "again", subjectID: Self.erased))
                #expect(instances[0].caches(Self.erased).subject)
                let heard = instances[0].notices.noticesHeard
                _ = try await instances[1].rights.erase(subjectRef: StoreFixture.lookup(Self.erased), at: Date(), apiKey: nil)
                try await Eventually.wait("the notice heard") { instances[0].notices.noticesHeard > heard }
                #expect(instances[0].caches(Self.erased) == (false, false))
            }
        }
    }
}
