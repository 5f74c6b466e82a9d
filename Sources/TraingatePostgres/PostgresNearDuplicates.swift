import PostgresNIO
import TraingateStore

/// Hamming-distance search over perceptual hashes through the four band indexes, as SQLite's
/// `NearDuplicates`: for many query hashes at once, one statement whose four `= ANY` probes
/// PostgreSQL answers with a bitmap OR of the band indexes, then a popcount per candidate.
enum PostgresNearDuplicates {
    enum Table: String {
        case image
        case erasedContent = "erased_content"
    }

    /// For each of `hashes`, the rows of `table` within `radius` bits: their `sha256` and distance.
    static func search(
        _ table: Table, hashes: Set<UInt64>, radius: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> [UInt64: [(sha256: String, distance: Int)]] {
        guard !hashes.isEmpty else { return [:] }
        var bands = Array(repeating: Set<Int64>(), count: PerceptualHashBands.count)
        for hash in hashes {
            for (band, values) in PerceptualHashBands.probes(for: hash, radius: radius).enumerated() { bands[band].formUnion(values) }
        }
        var binds = PostgresBindings()
        for band in bands { binds.append(Array(band)) }
        let conditions = (0..<PerceptualHashBands.count).map { "phash_b\($0) = ANY($\($0 + 1)::int8[])" }.joined(separator: " OR ")
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT sha256, phash FROM \(table.rawValue) WHERE \(conditions)", binds: binds), logger: logger)
        var matches: [UInt64: [(sha256: String, distance: Int)]] = [:]
        for try await (sha256, stored) in rows.decode((String, Int64?).self) {
            guard let stored else { continue }
            for hash in hashes {
                let distance = (UInt64(bitPattern: stored) ^ hash).nonzeroBitCount
                if distance <= radius { matches[hash, default: []].append((sha256, distance)) }
            }
        }
        return matches
    }
}
