import Foundation
import Hummingbird
import StrictDocuments
import TraingateStore

/// The audit log for auditors: `GET /v1/audit` (filtered pages), `/v1/audit/verify` and
/// `/v1/audit/export` (the whole log, streamed, gzip when the client accepts it).
struct AuditController: Sendable {
    let store: any AuditLogStore
    /// Told each verification's result (an auditor's counts as the periodic one does).
    let metrics: AuditMetrics?
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/v1/audit", in: catalog, allowing: [.auditor], query: nil, use: list)
        router.route(.get, "/v1/audit/verify", in: catalog, allowing: [.auditor], use: verify)
        router.route(.get, "/v1/audit/export", in: catalog, allowing: [.auditor], query: nil, use: export)
    }

    @Sendable func list(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let query = try AuditQueryDecoder.decode(request)
        let entries = try await store.entries(query)
        // A full page may have more behind it; a short one is the end.
        let next: JSONValue = entries.count == query.limit ? entries.last.map { .number(Double($0.seq)) } ?? .null : .null
        return JSONResponse.make(
            .ok, json: .object(["entries": .array(entries.map { AuditEntryBody(entry: $0).json }), "next_after": next]))
    }

    @Sendable func verify(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let verification: AuditVerification
        do {
            verification = try await store.verify()
        } catch {
            metrics?.record(.failed, at: now())
            throw error
        }
        metrics?.verified(verification, at: now())
        return JSONResponse.make(.ok, json: AuditVerificationBody(verification).json)
    }

    @Sendable func export(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        var errors: [DocumentError] = []
        for name in Set(parameters.map { String($0.key) }).sorted() where name != "format" {
            errors.append(DocumentError(path: name, message: "unknown parameter; known: format"))
        }
        let formatName = parameters.getAll("format")
        let format = formatName.isEmpty ? .jsonl : formatName.count == 1 ? AuditExporter.Format(rawValue: formatName[0]) : nil
        if format == nil { errors.append(DocumentError(path: "format", message: "must be jsonl or csv, given once")) }
        guard let format, errors.isEmpty else { throw ProblemDetails(validation: errors) }

        let gzip = Self.acceptsGzip(request.headers[.acceptEncoding])
        var headers: HTTPFields = [.contentType: format.contentType]
        headers[.contentDisposition] = "attachment; filename=\"traingate-audit.\(format.rawValue)\""
        headers[.vary] = "Accept-Encoding"
        if gzip { headers[.contentEncoding] = "gzip" }
        let exporter = AuditExporter(store: store)
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let stream = gzip ? try GzipStream() : nil
                try await exporter.export(format) { chunk in
                    for part in try stream?.compress(chunk) ?? [chunk] { try await writer.write(part) }
                }
                for part in try stream?.finish() ?? [] { try await writer.write(part) }
                try await writer.finish(nil)
            })
    }

    /// True when `Accept-Encoding` accepts gzip with a weight above zero (RFC 9110 §12.5.3): an
    /// explicit `gzip` entry decides; `*` counts only when gzip is not named.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var wildcard: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first else { continue }
            let zeroWeight = parts.dropFirst().contains {
                $0.replacingOccurrences(of: " ", with: "").range(of: #"^q=0(\.0{0,3})?$"#, options: .regularExpression) != nil
            }
            if coding == "gzip" || coding == "x-gzip" { return !zeroWeight }
            if coding == "*" { wildcard = !zeroWeight }
        }
        return wildcard ?? false
    }
}
