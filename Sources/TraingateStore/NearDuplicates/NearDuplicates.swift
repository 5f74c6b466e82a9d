import GRDB

/// Hamming-distance search over perceptual hashes through the band indexes of migration v5:
/// a few dozen index probes and a popcount per candidate, never a scan of the table.
public enum NearDuplicates {
    /// Tables with a `phash` column and its four band columns.
    enum Table: String {
        case image
        case erasedContent = "erased_content"
    }

    /// Rows of `table` whose hash is within `radius` of `hash`: their `sha256` and distance.
    static func search(_ table: Table, hash: UInt64, radius: Int, in db: Database) throws -> [(sha256: String, distance: Int)] {
        let probes = PerceptualHashBands.probes(for: hash, radius: radius)
        // One indexed IN-lookup per band, concatenated: SQLite's OR-of-indexes plan builds a
        // temporary b-tree to remove duplicates, which cost more than the lookups themselves.
        let selects = probes.enumerated().map { band, values in
            "SELECT sha256, phash FROM \(table.rawValue) WHERE phash_b\(band) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))"
        }
        let statement = try db.cachedStatement(sql: selects.joined(separator: " UNION ALL "))
        var seen = Set<String>()
        var matches: [(sha256: String, distance: Int)] = []
        let rows = try Row.fetchCursor(statement, arguments: StatementArguments(probes.flatMap { $0 }))
        while let row = try rows.next() {
            guard let stored = row[1] as Int64? else { continue }
            let distance = (UInt64(bitPattern: stored) ^ hash).nonzeroBitCount
            let sha256: String = row[0]
            if distance <= radius, seen.insert(sha256).inserted { matches.append((sha256, distance)) }
        }
        return matches
    }

    /// The band columns' values, in the order of the `phash_b0`…`phash_b3` columns.
    package static func bandArguments(_ hash: UInt64?) -> [Int64?] {
        guard let hash else { return [nil, nil, nil, nil] }
        return PerceptualHashBands.bands(of: hash)
    }
}
