import Foundation
import Hummingbird
import Imaging
import StrictDocuments
import TraingateStore

/// Embeddings of queued images: `GET /v1/embeddings/{admission_id}` and
/// `POST /v1/embeddings/search` (by admission or by an uploaded image, cosine, top k).
struct EmbeddingsController: Sendable {
    let store: any EmbeddingReading
    let search: EmbeddingSearch
    let maxBodyBytes: Int
    static let k = 1...1000

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/v1/embeddings/{admission_id}", in: catalog, allowing: [.trainer], use: show)
        router.route(
            .post, "/v1/embeddings/search", in: catalog, allowing: [.trainer], maxBodyBytes: maxBodyBytes, bodyLimit: .imageBytes,
            use: searchNeighbors)
    }

    @Sendable func show(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let id = try context.parameters.require("admission_id")
        guard let (checkpointID, vector) = try await store.embedding(of: id) else {
            throw ProblemDetails(
                .notFound,
                detail:
                    "No embedding of '\(id)' in the newest checkpoint: it is not a queued admission, or it was admitted after that job took its snapshot."
            )
        }
        return JSONResponse.make(
            .ok,
            json: .object([
                "admission_id": .string(id), "checkpoint_id": .string(checkpointID),
                "vector": .array(vector.map { .number(Double($0)) }),
            ]))
    }

    @Sendable func searchNeighbors(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let (query, k) = try parse(try await RequestBody.readJSON(request, limit: maxBodyBytes, setting: .imageBytes))
        let result: (checkpointID: String, neighbors: [EmbeddingSearch.Neighbor])
        do {
            result = try await search.search(query, k: k)
        } catch EmbeddingSearch.Failure.noCheckpoint {
            throw ProblemDetails(.notFound, detail: "No checkpoint yet: run a training job (POST /v1/training/jobs) first.")
        } catch EmbeddingSearch.Failure.notEmbedded(let id) {
            throw ProblemDetails(
                .notFound, detail: "'\(id)' has no embedding in the newest checkpoint (not queued, or admitted after it was trained).")
        } catch EmbeddingSearch.Failure.checkpointTainted(let id) {
            throw ProblemDetails(
                .conflict,
                detail:
                    "Checkpoint \(id) was trained on data that has since been erased or objected to; it embeds no new images. Run a training job (POST /v1/training/jobs) to replace it."
            )
        } catch let error as ImageIntakeError {
            throw ProblemDetails(imageIntake: error)
        }
        return JSONResponse.make(
            .ok,
            json: .object([
                "checkpoint_id": .string(result.checkpointID),
                "neighbors": .array(
                    result.neighbors.map { .object(["admission_id": .string($0.admissionID), "score": .number(Double($0.score))]) }),
            ]))
    }

    /// Exactly one of `admission_id` and `image_base64`, and `k` (default 10).
    private func parse(_ body: JSONValue) throws -> (EmbeddingSearch.Query, Int) {
        var errors = FieldErrors()
        guard let fields = errors.object(body, at: "", allowed: ["admission_id", "image_base64", "k"]) else {
            throw ProblemDetails(validation: errors.all)
        }
        let k = errors.integer(fields["k"], at: "k", range: Self.k) ?? 10
        let admissionID = errors.string(fields["admission_id"], at: "admission_id", length: 1...256)
        var image: [UInt8]?
        if let value = fields["image_base64"], value != .null {
            if case .string(let text) = value, let data = Data(base64Encoded: text), !data.isEmpty {
                image = Array(data)
            } else {
                errors.add("image_base64", "must be a non-empty base64 string")
            }
        }
        let given = [fields["admission_id"], fields["image_base64"]].filter { $0 != nil && $0 != .null }.count
        if given != 1 { errors.add(given == 0 ? "admission_id" : "image_base64", "give exactly one of admission_id and image_base64") }
        guard errors.all.isEmpty else { throw ProblemDetails(validation: errors.all) }
        return (image.map(EmbeddingSearch.Query.image) ?? .admission(admissionID!), k)
    }
}
