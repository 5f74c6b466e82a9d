import Foundation
import PostgresTesting
import Testing
import TraingateApp
import TraingateTesting

/// What an instance checks on a shared PostgreSQL store before it serves.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresStartTests {
    /// Every instance on one store needs the same master key, from the first start on: one
    /// with another key is refused before it serves, even while no subject is stored yet, and
    /// leaves nothing in the chain (not even the new policy it brought).
    @Test func anInstanceWithAnotherMasterKeyIsRefused() async throws {
        try await PostgresTestDatabase.withURL { url in
            let first = TestApp.newDirectory()
            let second = TestApp.newDirectory()
            defer { for directory in [first, second] { try? FileManager.default.removeItem(at: directory) } }
            let accepted = try await TestApp.open(directory: first, storageURL: url)
            let otherKey = String(repeating: "a1", count: 32)
            let refusal = await #expect(throws: (any Error).self) {
                try await TestApp.open(directory: second, storageURL: url) {
                    $0.masterKeyHex = otherKey
                    $0.establishedIn = ["EU"]
                }
            }
            #expect("\(refusal.map { "\($0)" } ?? "")".contains("security.master_key"))
            #expect(try await accepted.count("SELECT count(*) FROM audit_entry") == 1)
            // The same key is welcome on any number of instances.
            _ = try await TestApp.open(directory: second, storageURL: url)
        }
    }

    /// Instances that start together with a new policy record the change once: the entry is
    /// written under the chain head's lock, after reading the last one recorded.
    @Test func instancesStartingTogetherWithANewPolicyRecordItOnce() async throws {
        try await PostgresTestDatabase.withURL { url in
            let directories = (0..<3).map { _ in TestApp.newDirectory() }
            defer { for directory in directories { try? FileManager.default.removeItem(at: directory) } }
            let before = try await TestApp.open(directory: directories[0], storageURL: url)
            // Another establishment is another policy version.
            let established: @Sendable (inout AppConfiguration) -> Void = { $0.establishedIn = ["EU"] }
            let opened = try await withThrowingTaskGroup(of: Traingate.self) { group in
                for directory in directories {
                    group.addTask { try await TestApp.open(directory: directory, storageURL: url, established) }
                }
                return try await group.reduce(into: [Traingate]()) { $0.append($1) }
            }
            #expect(opened[0].policy.version != before.policy.version)
            #expect(try await before.count("SELECT count(*) FROM audit_entry WHERE kind = 'policy_change'") == 2)
            #expect(try await before.count("SELECT count(*) FROM audit_entry") == 2)
        }
    }
}
