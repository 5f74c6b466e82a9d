import Foundation
import NIOCore
import PostgresNIO
import PostgresTesting
import StrictDocuments
import Testing
@testable import TraingatePostgres
@testable import TraingateStore

/// On PostgreSQL a stored copy and a pipeline's image id are sealed under their subject's key,
/// so anyone with the master key's help could open them; what stops the database's owner from
/// moving one to another row of the same subject is that each is bound to its row: the copy to
/// its SHA-256 (authenticated data), the image id to its row's `image_key`. A moved value is
/// reported, never served as the other row's.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresSealedValueTests {
    static let (first, second): ([UInt8], [UInt8]) = ([0xFF, 0xD8, 0xFF, 0x01], [0xFF, 0xD8, 0xFF, 0x02])

    /// One subject's two photos, admitted; `body` gets their admissions.
    private func withTwoPhotos(_ body: @escaping @Sendable (BackendFixture, [StoredAdmission]) async throws -> Void) async throws {
        try await BackendFixture.with(.postgres) { fixture in
            var admissions: [StoredAdmission] = []
            for (index, bytes) in [Self.first, Self.second].enumerated() {
                let submission = StoreFixture.submission(imageID: "photo-\(index)", subjectID: "owner", requestHash: "\(index)", image: bytes)
                admissions.append(try await fixture.store.record(submission).admission)
            }
            try await body(fixture, admissions)
        }
    }

    /// Swaps `column` between two rows, as the database's owner could.
    private static func swap(_ column: String, of table: String, keyedBy key: String, _ a: String, _ b: String, in fixture: BackendFixture)
        async throws
    {
        try await fixture.execute(
            """
            UPDATE \(table) SET \(column) = CASE \(key) WHEN '\(a)' THEN (SELECT \(column) FROM \(table) WHERE \(key) = '\(b)')
                ELSE (SELECT \(column) FROM \(table) WHERE \(key) = '\(a)') END WHERE \(key) IN ('\(a)', '\(b)')
            """)
    }

    @Test func aCopyMovedToAnotherImagesRowIsReportedNotServed() async throws {
        try await withTwoPhotos { fixture, admissions in
            #expect(try await fixture.manifest.image(of: admissions[0].id)?.bytes == Self.first)
            let (a, b) = (admissions[0].image!.sha256, admissions[1].image!.sha256)
            try await Self.swap("bytes", of: "image", keyedBy: "sha256", a, b, in: fixture)
            for admission in admissions {
                await #expect {
                    _ = try await fixture.manifest.image(of: admission.id)
                } throws: { error in
                    (error as? StoreError)?.code == .corruptRecord && "\(error)".contains(admission.image!.sha256)
                }
            }
        }
    }

    @Test(arguments: [false, true]) func anImageIDMovedToAnotherRowIsReportedNotShown(moveTheLookupToo: Bool) async throws {
        try await withTwoPhotos { [moveTheLookupToo] fixture, admissions in
            #expect(try await fixture.store.admission(id: admissions[1].id)?.imageID == "photo-1")
            let (a, b) = (admissions[0].id, admissions[1].id)
            try await Self.swap("image_id_sealed", of: "admission", keyedBy: "id", a, b, in: fixture)
            if moveTheLookupToo {
                // With each row's HMAC moved along, only the binding to the admission's id is left.
                try await fixture.execute("DROP INDEX admission_current_key")
                try await Self.swap("image_key", of: "admission", keyedBy: "id", a, b, in: fixture)
            }
            for admission in admissions {
                await #expect {
                    _ = try await fixture.store.admission(id: admission.id)
                } throws: { error in
                    (error as? StoreError)?.code == .corruptRecord && "\(error)".contains("image_id_sealed")
                }
            }
        }
    }

    /// A copy opens only under its own SHA-256 and its subject's key, and never as sealed before
    /// copies were bound (without authenticated data).
    @Test func aCopyOpensOnlyForItsOwnRow() throws {
        let key = SubjectKey.random()
        let sha256 = Hex.encode(SHA256Digest.of(Self.first))
        let bound = try PostgresSealedAdmission.sealCopy(Self.first, sha256: sha256, key: key)
        #expect(try PostgresSealedAdmission.openCopy(bound, sha256: sha256, key: key) == Self.first)
        #expect(throws: (any Error).self) { try PostgresSealedAdmission.openCopy(bound, sha256: String(repeating: "0", count: 64), key: key) }
        #expect(throws: (any Error).self) { try PostgresSealedAdmission.openCopy(bound, sha256: sha256, key: SubjectKey.random()) }
        #expect(throws: (any Error).self) { try key.open(bound) }
        #expect(throws: (any Error).self) { try PostgresSealedAdmission.openCopy(try key.seal(Self.first), sha256: sha256, key: key) }
    }

    /// A database holding values sealed before they were bound (the development builds' migration
    /// `pg7` and earlier) is refused at start, not served with a weaker guarantee; an empty one
    /// takes the step.
    @Test func aDatabaseWithUnboundSealsIsRefused() async throws {
        let step = "DELETE FROM schema_migration WHERE identifier = 'pg8-seals-bound-to-rows'"
        try await PostgresTestDatabase.with { database in
            let store = PostgresAdmissionStore(store: database, keyring: StoreFixture.keyring)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.committer.run() }
                defer { group.cancelAll() }
                _ = try await store.record(StoreFixture.submission(imageID: "photo", subjectID: "owner", image: Self.first))
            }
            // As a database the step has not run on yet.
            try await database.openClient().query(PostgresQuery(unsafeSQL: step), logger: database.logger)
            await #expect {
                try await database.migrate()
            } throws: { "\($0)".contains("sealed by a development build") }
        }
        try await PostgresTestDatabase.with { database in
            try await database.openClient().query(PostgresQuery(unsafeSQL: step), logger: database.logger)
            try await database.migrate()
            let applied = try await database.openClient().query(
                "SELECT count(*) FROM schema_migration WHERE identifier = 'pg8-seals-bound-to-rows'", logger: database.logger
            ).collect()[0].decode(Int64.self)
            #expect(applied == 1)
        }
    }
}
