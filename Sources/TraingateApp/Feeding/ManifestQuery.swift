import Hummingbird
import StrictDocuments

/// `GET /v1/training/manifest` parameters, read strictly (every bad or unknown one named in one
/// 400): `after` (a cursor from an earlier line), `limit` (items at most), `shards` and `shard`
/// (the items of one shard of that many, for one rank of a distributed trainer).
struct ManifestQuery: Sendable, Equatable {
    var after: Int64 = 0
    var limit = Int.max
    var shards = 1
    var shard: Int?

    static let names: Set<String> = ["after", "limit", "shards", "shard"]
    static let maxShards = 65_536

    static func decode(_ request: Request) throws -> ManifestQuery {
        var query = ManifestQuery()
        let (given, found) = QueryParameters.single(request, known: names)
        var errors = found
        for (name, raw) in given {
            guard let number = Int64(raw) else {
                errors.append(DocumentError(path: name, message: "must be an integer"))
                continue
            }
            switch name {
            case "after" where number >= 0: query.after = number
            case "limit" where number >= 1: query.limit = Int(number)
            case "shards" where (1...Int64(maxShards)).contains(number): query.shards = Int(number)
            case "shard" where number >= 0: query.shard = Int(number)
            default: errors.append(DocumentError(path: name, message: Self.range(of: name)))
            }
        }
        if let shard = query.shard, shard >= query.shards, errors.isEmpty {
            errors.append(DocumentError(path: "shard", message: "must be below shards (\(query.shards))"))
        }
        guard errors.isEmpty else { throw ProblemDetails(validation: errors) }
        return query
    }

    private static func range(of name: String) -> String {
        switch name {
        case "after": "must be a cursor from an earlier line (0 or more)"
        case "limit": "must be 1 or more"
        case "shards": "must be from 1 to \(maxShards)"
        default: "must be 0 or more, below shards"
        }
    }
}
