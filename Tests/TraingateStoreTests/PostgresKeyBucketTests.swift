import Foundation
import NIOCore
import PostgresTesting
import StrictDocuments
import Testing
@testable import TraingatePostgres
@testable import TraingateStore

/// Erasure rotates the key of the erased subject's bucket (`PostgresSubjectKeys.rotate`): every
/// other key in that bucket must still open afterwards, including keys that instances add to the
/// bucket while the erasure runs.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresKeyBucketTests {
    static func bucket(of subjectID: String) -> Int32 {
        PostgresSubjectKeys.bucket(of: ByteBuffer(bytes: Hex.decode(StoreFixture.lookup(subjectID))!))
    }

    /// `count` subject ids whose lookup pseudonyms fall in one bucket (about 4,096 tries each).
    static func subjectsInOneBucket(_ count: Int) -> [String] {
        let target = bucket(of: "peer-0")
        return Array((0...).lazy.map { "peer-\($0)" }.filter { bucket(of: $0) == target }.prefix(count))
    }

    @Test func erasuresRotatingABucketWhileTwoInstancesAddKeysToItLoseNoOtherSubjectsKey() async throws {
        let subjects = Self.subjectsInOneBucket(29)
        let (victims, early, late) = (Array(subjects[0..<3]), Array(subjects[3..<5]), Array(subjects[5...]))
        try await PostgresTestDatabase.withURL { url in
            try await PostgresInstancesTests.withInstances(2, url: url) { instances in
                try await PostgresTestDatabase.running(url: url) { database in
                    let rights = PostgresSubjectRightsStore(store: database, keyring: StoreFixture.keyring)
                    // Keys in the bucket before the erasures.
                    for (index, subject) in (victims + early).enumerated() {
                        _ = try await instances[index % 2].record(StoreFixture.submission(imageID: "first-\(subject)", subjectID: subject))
                    }
                    // New subjects of the bucket, on both instances, while each victim's erasure
                    // rotates the bucket's key.
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (index, subject) in late.enumerated() {
                            group.addTask {
                                _ = try await instances[index % 2].record(StoreFixture.submission(imageID: "late-\(subject)", subjectID: subject))
                            }
                        }
                        for victim in victims {
                            group.addTask { _ = try await rights.erase(subjectRef: StoreFixture.lookup(victim), at: Date(), apiKey: nil) }
                        }
                        try await group.waitForAll()
                    }
                    // Every other subject's key still opens its facts and its image id.
                    for subject in early + late {
                        let report = try await rights.report(subjectRef: StoreFixture.lookup(subject), format: "json", at: Date(), apiKey: nil)
                        let admission = try #require(report.admissions.first, "\(subject)")
                        let imageID = (early.contains(subject) ? "first-" : "late-") + subject
                        #expect(admission.admission.imageID == imageID)
                        #expect(admission.facts == .object(["subject_id": .string(subject), "image_id": .string(imageID)]), "\(subject)")
                    }
                    for victim in victims {
                        let report = try await rights.report(subjectRef: StoreFixture.lookup(victim), format: "json", at: Date(), apiKey: nil)
                        #expect(report.admissions.isEmpty, "\(victim)")
                    }
                    // One key per remaining subject, all in the one bucket.
                    let keys = try await database.openClient().query(
                        "SELECT count(*), count(DISTINCT bucket) FROM subject_key", logger: database.logger
                    ).collect()
                    let (count, buckets) = try keys[0].decode((Int64, Int64).self)
                    #expect(count == Int64(early.count + late.count) && buckets == 1)
                }
            }
        }
    }
}
