import Foundation
import Hummingbird
import Logging
import NIOCore
import PolicyEngine
import StrictDocuments
import TraingateStore

/// `POST /v1/admissions`, `POST /v1/admissions/batch`, `GET /v1/admissions/{admission_id}`.
struct AdmissionController: Sendable {
    let service: AdmissionService
    let store: any AdmissionRecording
    let decoder: AdmissionRequestDecoder
    let maxBatchLines: Int
    let maxBatchBytes: Int
    /// Counts batch lines a limit refused (a refused request is counted by the middleware).
    let limits: LimitMetrics?

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(
            .post, "/v1/admissions", in: catalog, allowing: [.submitter], maxBodyBytes: decoder.maxBodyBytes,
            bodyLimit: .imageBytes, query: ["at"], use: create)
        router.route(
            .post, "/v1/admissions/batch", in: catalog, allowing: [.submitter], maxBodyBytes: maxBatchBytes, bodyLimit: .batchBytes,
            use: batch)
        router.route(.get, "/v1/admissions/{admission_id}", in: catalog, allowing: [.submitter, .auditor], use: show)
    }

    @Sendable func create(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        try Self.refuseBackdating(request)
        let admission = try await decoder.decode(request)
        let outcome = try await service.admit(admission, caller: context.identity)
        let stored = outcome.admission
        context.logger.info(
            "admission decided",
            metadata: [
                "admission.id": "\(stored.id)", "decision": "\(stored.verdict.rawValue)", "audit.seq": "\(stored.auditSeq)",
                "subject.ref": "\(stored.subjectRef.prefix(16))",
            ])
        return JSONResponse.make(
            outcome.isNew ? .created : .ok, canonicalBytes: AdmissionBody(stored).bytes(), headers: [.location: "/v1/admissions/\(stored.id)"])
    }

    @Sendable func show(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let id = try context.parameters.require("admission_id")
        // A submitter reads the decisions its own key asked for; another key's are not found,
        // so ids cannot be probed across pipelines.
        guard let admission = try await store.admission(id: id),
            context.identity?.role != .submitter || admission.apiKey == context.identity?.keyName
        else {
            throw ProblemDetails(.notFound, detail: "No admission with id '\(id)'.")
        }
        return JSONResponse.make(.ok, canonicalBytes: AdmissionBody(admission, includeSupersededBy: true).bytes())
    }

    /// Each line is decided, audited and queued as if posted alone, and the answer keeps input order.
    ///
    /// Lines with different (`source`, `image_id`) run concurrently, so they share group commits;
    /// lines with the same key run one after the other in input order, so a later line always
    /// supersedes an earlier one, as it would if they were posted one by one.
    @Sendable func batch(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        try Self.refuseBackdating(request)
        guard MediaType(request.headers[.contentType])?.essence == "application/x-ndjson" else {
            throw ProblemDetails(.unsupportedMediaType, detail: "Send application/x-ndjson, one admission per line.")
        }
        let body = try await RequestBody.collect(request, limit: maxBatchBytes, name: "batch body", setting: .batchBytes)
        let lines = body.readableBytesView.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated().filter { !$0.element.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") } }
        guard lines.count <= maxBatchLines else {
            throw ProblemDetails(
                .payloadTooLarge, detail: "The batch has \(lines.count) lines; the limit is \(maxBatchLines).", limit: .batchLines)
        }
        var output = [[UInt8]](repeating: [], count: lines.count)
        var linesByKey: [String: [(position: Int, request: AdmissionRequest)]] = [:]
        var keyOrder: [String] = []
        for (position, (index, line)) in lines.enumerated() {
            do {
                guard line.count <= decoder.maxBodyBytes else {
                    throw ProblemDetails(.payloadTooLarge, detail: "The line is larger than \(decoder.maxBodyBytes) bytes.", limit: .imageBytes)
                }
                let admission = try decoder.decodeJSON(line, allowImageField: true, imageField: "image_base64")
                let key = admission.source + "\u{0}" + admission.imageID
                if linesByKey[key] == nil { keyOrder.append(key) }
                linesByKey[key, default: []].append((position, admission))
            } catch {
                output[position] = problemLine(error, lineNumber: index + 1, logger: context.logger)
            }
        }
        let lineNumbers = lines.map { $0.offset + 1 }
        let logger = context.logger
        let caller = context.identity
        await withTaskGroup(of: [(Int, [UInt8])].self) { group in
            var pending = keyOrder.makeIterator()
            func startNext() -> Bool {
                guard let key = pending.next(), let sameKey = linesByKey[key] else { return false }
                group.addTask {
                    var answers: [(Int, [UInt8])] = []
                    for (position, admission) in sameKey {
                        answers.append((position, await self.admitLine(admission, lineNumber: lineNumbers[position], caller: caller, logger: logger)))
                    }
                    return answers
                }
                return true
            }
            // At most this many keys in flight: enough to fill group commits, bounded in memory.
            for _ in 0..<Self.concurrentBatchKeys where startNext() {}
            for await answers in group {
                for (position, encoded) in answers { output[position] = encoded }
                _ = startNext()
            }
        }
        var buffer = ByteBuffer()
        for line in output {
            buffer.writeBytes(line)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: buffer))
    }

    private static let concurrentBatchKeys = 64

    private func admitLine(_ admission: AdmissionRequest, lineNumber: Int, caller: Caller?, logger: Logger) async -> [UInt8] {
        do {
            let outcome = try await service.admit(admission, caller: caller)
            return AdmissionBody(outcome.admission).bytes(status: outcome.isNew ? 201 : 200)
        } catch {
            return problemLine(error, lineNumber: lineNumber, logger: logger)
        }
    }

    /// A problem as an NDJSON answer line: the problem object plus its 1-based `line`.
    private func problemLine(_ error: any Error, lineNumber: Int, logger: Logger) -> [UInt8] {
        let problem = ProblemMapping.problem(for: error, what: "this line", logger: logger)
        if let limit = problem.limit { limits?.rejected(by: limit) }
        return CanonicalJSON.encode(.object(problem.members(["line": .number(Double(lineNumber))])))
    }

    /// `?at=` belongs to `POST /v1/policy/evaluate`; an admission is decided now. Ignoring it
    /// would let a client believe it had back-dated a recorded decision.
    private static func refuseBackdating(_ request: Request) throws {
        guard request.uri.queryParameters.get("at") != nil else { return }
        throw ProblemDetails(
            validation: [
                DocumentError(
                    path: "at", message: "admissions are decided and recorded now; evaluate at an instant with POST /v1/policy/evaluate?at=")
            ])
    }
}
