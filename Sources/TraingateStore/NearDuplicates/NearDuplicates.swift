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
        let conditions = probes.enumerated().map { band, values in
            "phash_b\(band) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))"
        }
        let sql = "SELECT sha256, phash FROM \(table.rawValue) WHERE \(conditions.joined(separator: " OR "))"
        let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(probes.flatMap { $0 }))
        return rows.compactMap { row in
            guard let stored = row[1] as Int64? else { return nil }
            let distance = (UInt64(bitPattern: stored) ^ hash).nonzeroBitCount
            return distance <= radius ? (row[0] as String, distance) : nil
        }
    }

    /// The band columns' values, in the order of the `phash_b0`…`phash_b3` columns.
    static func bandArguments(_ hash: UInt64?) -> [Int64?] {
        guard let hash else { return [nil, nil, nil, nil] }
        return PerceptualHashBands.bands(of: hash)
    }
}
