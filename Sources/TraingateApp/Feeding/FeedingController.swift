import Hummingbird
import NIOCore
import StrictDocuments
import TraingateStore

/// What external trainers read (docs/training.md, "External trainers"):
/// `GET /v1/training/manifest` streams the admissible items as JSON Lines, resumable by cursor;
/// `GET /v1/training/images/{admission_id}` serves an item's stored copy while it is admissible;
/// `POST /v1/admissions/recheck` says which of up to 10,000 items still are, and why not.
struct FeedingController: Sendable {
    let manifest: any ManifestReading
    let admissibility: any AdmissibilityChecking

    /// Items read from the store per page of the stream.
    static let pageSize = 1000
    /// Most ids in one recheck (the contract's bound).
    static let maxRecheckIDs = 10_000
    /// A recheck body of 10,000 ids of up to 64 characters fits with room to spare.
    static let maxRecheckBodyBytes = 1 << 20

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/v1/training/manifest", in: catalog, allowing: [.trainer], query: nil, use: streamManifest)
        router.route(.get, "/v1/training/images/{admission_id}", in: catalog, allowing: [.trainer], use: image)
        router.route(
            .post, "/v1/admissions/recheck", in: catalog, allowing: [.trainer], maxBodyBytes: Self.maxRecheckBodyBytes,
            bodyLimit: .recheckBytes, use: recheck)
    }

    @Sendable func streamManifest(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let query = try ManifestQuery.decode(request)
        let manifest = manifest
        return Response(
            status: .ok, headers: [.contentType: "application/jsonl; charset=utf-8"],
            body: ResponseBody { [logger = context.logger] writer in
                var after = query.after
                var left = query.limit
                while left > 0 {
                    let page: [ManifestItem]
                    do {
                        page = try await manifest.page(after: after, limit: Self.pageSize)
                    } catch {
                        // The 200 is sent: the stream ends early, and a reader resumes from the last
                        // cursor it received. Logged, since the client sees only a cut.
                        logger.error("manifest stream cut short", metadata: ["after": "\(after)", "error": "\(error)"])
                        throw error
                    }
                    var chunk = ByteBuffer()
                    for item in page where left > 0 {
                        let line = ManifestLine(item: item, shards: query.shards)
                        guard query.shard.map({ $0 == line.shard }) ?? true else { continue }
                        chunk.writeBytes(CanonicalJSON.encode(line.json))
                        chunk.writeInteger(UInt8(ascii: "\n"))
                        left -= 1
                    }
                    if chunk.readableBytes > 0 { try await writer.write(chunk) }
                    guard let last = page.last, page.count == Self.pageSize else { break }
                    after = last.cursor
                }
                try await writer.finish(nil)
            })
    }

    @Sendable func image(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let id = try context.parameters.require("admission_id")
        guard let stored = try await manifest.image(of: id) else {
            throw ProblemDetails(.notFound, detail: "No admissible item '\(id)' (never admitted with an image, or no longer in the training queue).")
        }
        return Response(
            status: .ok, headers: [.contentType: stored.contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: stored.bytes)))
    }

    @Sendable func recheck(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        // The usual bound of 10,000 values would refuse a full list as malformed; twice the list's
        // bound lets a list somewhat too long be refused by name (admission_ids).
        let body = try await RequestBody.readJSON(
            request, limit: Self.maxRecheckBodyBytes, setting: .recheckBytes, maxValues: 2 * Self.maxRecheckIDs)
        let ids = try Self.admissionIDs(in: body)
        let answers = try await admissibility.check(ids)
        let results = ids.map { id -> JSONValue in
            let answer = answers[id] ?? .notFound
            return .object(["admission_id": .string(id), "admissible": .bool(answer.isAdmissible), "reason": .string(answer.rawValue)])
        }
        return JSONResponse.make(.ok, json: .object(["results": .array(results)]))
    }

    /// `{"admission_ids": [...]}`: 1 to 10,000 strings of 1 to 64 characters; every problem named.
    static func admissionIDs(in body: JSONValue) throws -> [String] {
        guard case .object(let members) = body else {
            throw ProblemDetails(validation: [DocumentError(path: "", message: "must be an object with admission_ids")])
        }
        var errors = members.keys.filter { $0 != "admission_ids" }.sorted().map { DocumentError(path: $0, message: "unknown field") }
        guard case .array(let values)? = members["admission_ids"] else {
            errors.append(DocumentError(path: "admission_ids", message: "is required: an array of admission ids"))
            throw ProblemDetails(validation: errors)
        }
        if values.isEmpty || values.count > maxRecheckIDs {
            errors.append(DocumentError(path: "admission_ids", message: "must hold 1 to \(maxRecheckIDs) ids, holds \(values.count)"))
        }
        var ids: [String] = []
        for (index, value) in values.enumerated() {
            guard case .string(let id) = value, (1...64).contains(id.unicodeScalars.count) else {
                errors.append(DocumentError(path: "admission_ids[\(index)]", message: "must be an admission id (1 to 64 characters)"))
                continue
            }
            ids.append(id)
        }
        guard errors.isEmpty else { throw ProblemDetails(validation: errors) }
        return ids
    }
}
