import PostgresTesting
import Foundation
import Logging
import PostgresNIO
import Testing
@testable import TraingatePostgres
import TraingateStore

/// One leader for work that must run once: instances on one database elect one through a
/// session advisory lock, and another takes over when the leader stops or its session dies.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresLeadershipTests {
    static let lockKey: Int64 = 0x7472_6169_6E65_7200

    /// Polls for up to 30 s (liveness, not a measurement: the lead moves within about one
    /// interval, a quarter of a second here).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    static func leaders(_ url: String, count: Int) throws -> [PostgresLeadership] {
        try (0..<count).map { _ in
            PostgresLeadership(
                location: try PostgresLocation(url: url), lockKey: lockKey, interval: .milliseconds(250), logger: PostgresTestDatabase.logger)
        }
    }

    @Test func threeInstancesElectOneLeaderAndAnotherTakesOverWhenItStops() async throws {
        try await PostgresTestDatabase.withURL { url in
            let instances = try Self.leaders(url, count: 3)
            let tasks = instances.map { instance in Task { try await instance.run() } }
            defer { for task in tasks { task.cancel() } }
            #expect(try await Self.eventually { instances.filter(\.isLeader).count == 1 })
            // It stays one: the others keep trying and keep being refused.
            try await Task.sleep(for: .seconds(1))
            #expect(instances.filter(\.isLeader).count == 1)
            let first = try #require(instances.firstIndex { $0.isLeader })
            tasks[first].cancel()
            _ = try? await tasks[first].value
            #expect(!instances[first].isLeader)
            #expect(try await Self.eventually { instances.filter(\.isLeader).count == 1 })
            #expect(instances.firstIndex { $0.isLeader } != first)
        }
    }

    /// A leader whose session dies (ended from the server's side, as when its host vanishes)
    /// learns it at its next check and stops leading; another instance leads instead.
    @Test func aLeaderWhoseSessionDiesStopsLeadingAndAnotherLeads() async throws {
        try await PostgresTestDatabase.withURL { url in
            let instances = try Self.leaders(url, count: 2)
            let tasks = instances.map { instance in Task { try await instance.run() } }
            defer { for task in tasks { task.cancel() } }
            #expect(try await Self.eventually { instances.filter(\.isLeader).count == 1 })
            let first = try #require(instances.firstIndex { $0.isLeader })
            try await PostgresTestDatabase.running(url: url) { database in
                var binds = PostgresBindings()
                binds.append(Self.lockKey)
                // The session holding the lock in this test's database, ended by the server.
                _ = try await database.openClient().query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT pg_terminate_backend(pid) FROM pg_locks
                            WHERE locktype = 'advisory' AND granted AND (classid::bigint << 32 | objid::bigint) = $1
                            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                            """, binds: binds), logger: database.logger
                ).collect()
            }
            #expect(try await Self.eventually { !instances[first].isLeader && instances[1 - first].isLeader })
        }
    }

    /// Jobs start only in a transaction that sees the lead's own session hold the lock, not on
    /// the lead's word: a session the server ended is fenced at once, before its instance
    /// notices.
    @Test func aJobStartsOnlyWhileTheLeadsSessionHoldsTheLock() async throws {
        try await PostgresTestDatabase.withURL { url in
            let lead = try Self.leaders(url, count: 1)[0]
            try await PostgresTestDatabase.running(url: url) { database in
                let training = PostgresTrainingStore(store: database, keyring: StoreFixture.keyring, lead: lead)
                for _ in 0..<2 { _ = try await training.submit(parameters: .object([:]), at: Date(), apiKey: nil, maxQueued: 10) }
                #expect(try await training.startNext(at: Date()) == nil, "not leading yet")
                let task = Task { try await lead.run() }
                defer { task.cancel() }
                #expect(try await Self.eventually { lead.isLeader })
                #expect(try await training.startNext(at: Date()) != nil)
                let pid = try #require(lead.leaderBackendPID)
                _ = try await database.openClient().query("SELECT pg_terminate_backend(\(pid))", logger: database.logger).collect()
                #expect(try await training.startNext(at: Date()) == nil, "the lead's session is gone")
            }
        }
    }
}
