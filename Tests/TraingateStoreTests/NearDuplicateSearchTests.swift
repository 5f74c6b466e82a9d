import Foundation
import GRDB
import Testing
@testable import TraingateStore

@Suite struct NearDuplicateSearchTests {
    /// The band-index search finds exactly what a scan over every stored hash finds.
    @Test func theIndexedSearchAgreesWithAScan() async throws {
        try await StoreFixture.withStore { fixture in
            var generator = SystemRandomNumberGenerator()
            let anchor = UInt64.random(in: .min ... .max, using: &generator)
            // A third are near the anchor (0-12 bits away), the rest random.
            let stored: [(sha256: String, hash: UInt64)] = (0..<3000).map { index in
                var hash = UInt64.random(in: .min ... .max, using: &generator)
                if index % 3 == 0 {
                    hash = anchor
                    for _ in 0..<(index % 13) { hash ^= 1 << UInt64.random(in: 0..<64, using: &generator) }
                }
                return (String(format: "%064x", index), hash)
            }
            try await fixture.database.writer.write { db in
                for (sha, hash) in stored {
                    let bands = PerceptualHashBands.bands(of: hash)
                    try db.execute(
                        sql: """
                            INSERT INTO image (sha256, content_type, byte_count, bytes, phash, phash_b0, phash_b1, phash_b2, phash_b3)
                            VALUES (?, 'image/jpeg', 1, x'00', ?, ?, ?, ?, ?)
                            """,
                        arguments: [sha, Int64(bitPattern: hash), bands[0], bands[1], bands[2], bands[3]])
                }
            }
            for radius in [0, 3, 6] {
                let found = try await fixture.store.similarImages(to: anchor, distance: radius)
                let scanned = stored.filter { ($0.hash ^ anchor).nonzeroBitCount <= radius }.map(\.sha256)
                #expect(Set(found.map(\.sha256)) == Set(scanned), "radius \(radius)")
                #expect(found.map(\.distance) == found.map(\.distance).sorted())
                #expect(!scanned.isEmpty)
            }
        }
    }
}
