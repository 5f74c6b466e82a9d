import Hummingbird

/// `POST /_bench/noop`: reads the body like an admission would, then answers at once. It is the
/// baseline that bench/admissions measures admissions against, in the same server. Only mounted
/// when `http.benchmark_routes` is true.
struct BenchmarkController: Sendable {
    let maxBodyBytes: Int

    func addRoutes(to router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        router.route(.post, "/_bench/noop", in: catalog) { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            return try JSONResponse.make(.ok, ["bytes": body.readableBytes])
        }
    }
}
