import Hummingbird
import StrictDocuments
import TraingateStore

/// Baselines for bench/admissions, in the same server as the admissions they are measured
/// against. Only mounted when `http.benchmark_routes` is true.
///
/// Each route does a prefix of an admission's work, so that one benchmark run shows what each
/// stage costs:
/// - `POST /_bench/noop` reads the body and answers at once (HTTP, NIO and the kernel only);
/// - `POST /_bench/floor` also does the least storage work an admission can do, durably, in a
///   scratch database (`BenchmarkFloor`): insert an audit row and a decision row whose
///   idempotency key is checked by its unique index;
/// - `POST /_bench/parse` also decodes and validates the admission request;
/// - `POST /_bench/decide` also decides it and builds the write (pseudonym, sealed facts,
///   request hash), then answers the decision without recording anything.
struct BenchmarkController: Sendable {
    let maxBodyBytes: Int
    let decoder: AdmissionRequestDecoder
    let service: AdmissionService
    let floor: BenchmarkFloor

    func addRoutes(to router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        router.route(.post, "/_bench/noop", in: catalog, allowing: [.admin]) { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            return try JSONResponse.make(.ok, ["bytes": body.readableBytes])
        }
        router.route(.post, "/_bench/floor", in: catalog, allowing: [.admin]) { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let seq = try await floor.record(Array(body.readableBytesView))
            return try JSONResponse.make(.ok, ["bytes": body.readableBytes, "seq": Int(seq)])
        }
        router.route(.post, "/_bench/parse", in: catalog, allowing: [.admin]) { request, _ in
            let admission = try await decoder.decode(request)
            return JSONResponse.make(.ok, json: .object(["image_id": .string(admission.imageID)]))
        }
        router.route(.post, "/_bench/decide", in: catalog, allowing: [.admin]) { request, _ in
            let submission = try await service.prepare(try await decoder.decode(request))
            return JSONResponse.make(
                .ok,
                json: .object([
                    "decision": .string(submission.decision.verdict.rawValue), "request_hash": .string(submission.requestHash),
                ]))
        }
    }
}
