import Foundation
import Hummingbird
import NIOCore
import PolicyEngine
import StrictDocuments
import TraingateStore

/// `POST /v1/admissions`, `POST /v1/admissions/batch`, `GET /v1/admissions/{admission_id}`.
struct AdmissionController: Sendable {
    let service: AdmissionService
    let store: AdmissionStore
    let decoder: AdmissionRequestDecoder
    let maxBatchLines: Int
    let maxBatchBytes: Int

    func addRoutes(to router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        router.route(.post, "/v1/admissions", in: catalog, use: create)
        router.route(.post, "/v1/admissions/batch", in: catalog, use: batch)
        router.route(.get, "/v1/admissions/{admission_id}", in: catalog, use: show)
    }

    @Sendable func create(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let admission = try await decoder.decode(request)
        let outcome = try await service.admit(admission)
        let stored = outcome.admission
        context.logger.info(
            "admission decided",
            metadata: [
                "admission.id": "\(stored.id)", "decision": "\(stored.verdict.rawValue)", "audit.seq": "\(stored.auditSeq)",
                "subject.ref": "\(stored.subjectRef.prefix(16))",
            ])
        return JSONResponse.make(
            outcome.isNew ? .created : .ok, json: AdmissionBody(stored).json, headers: [.location: "/v1/admissions/\(stored.id)"])
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("admission_id")
        guard let admission = try await store.admission(id: id) else {
            throw ProblemDetails(.notFound, detail: "No admission with id '\(id)'.")
        }
        return JSONResponse.make(.ok, json: AdmissionBody(admission, includeSupersededBy: true).json)
    }

    /// Each line is decided, audited and queued as if posted alone; lines run concurrently so
    /// they share group commits, and the answer keeps input order.
    @Sendable func batch(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard MediaType(request.headers[.contentType])?.essence == "application/x-ndjson" else {
            throw ProblemDetails(.unsupportedMediaType, detail: "Send application/x-ndjson, one admission per line.")
        }
        let limit = maxBatchBytes
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ProblemDetails(.payloadTooLarge, detail: "The batch body is larger than \(limit) bytes.")
        }
        let lines = body.readableBytesView.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated().filter { !$0.element.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") } }
        guard lines.count <= maxBatchLines else {
            throw ProblemDetails(
                .payloadTooLarge, detail: "The batch has \(lines.count) lines; the limit is \(maxBatchLines).")
        }
        let results = await withTaskGroup(of: (Int, [UInt8]).self) { group in
            for (position, (index, line)) in lines.enumerated() {
                let bytes = Array(line)
                group.addTask { (position, await self.decideLine(bytes, lineNumber: index + 1)) }
            }
            var output = [[UInt8]](repeating: [], count: lines.count)
            for await (position, encoded) in group { output[position] = encoded }
            return output
        }
        var buffer = ByteBuffer()
        for line in results {
            buffer.writeBytes(line)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: buffer))
    }

    private func decideLine(_ line: [UInt8], lineNumber: Int) async -> [UInt8] {
        do {
            let admission = try decoder.decodeJSON(line, allowImageField: true, imageField: "image_base64")
            let outcome = try await service.admit(admission)
            guard case .object(var line) = AdmissionBody(outcome.admission).json else { return [] }
            line["status"] = .number(outcome.isNew ? 201 : 200)
            return CanonicalJSON.encode(.object(line))
        } catch let problem as ProblemDetails {
            return (try? JSONResponse.encode(BatchLine(status: problem.status.code, line: lineNumber, body: problem))) ?? []
        } catch {
            let problem = error is StoreError
                ? ProblemDetails(.storageUnavailable, detail: "The database could not record this line; retry it.")
                : ProblemDetails(.internalError, detail: "An unexpected error occurred; it has been logged.")
            return (try? JSONResponse.encode(BatchLine(status: problem.status.code, line: lineNumber, body: problem))) ?? []
        }
    }
}

/// One NDJSON answer line: the decision or problem, plus its HTTP-like status (and line number for problems).
private struct BatchLine<Body: Encodable>: Encodable {
    let status: Int
    let line: Int?
    let body: Body

    enum CodingKeys: String, CodingKey { case status, line }

    func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(line, forKey: .line)
    }
}

extension AdmissionOutcome {
    var isNew: Bool {
        if case .created = self { return true }
        return false
    }
}
