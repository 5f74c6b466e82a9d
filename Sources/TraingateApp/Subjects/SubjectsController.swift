import Foundation
import Hummingbird
import StrictDocuments
import TraingateStore

/// The rights of the people in the photos: `DELETE /v1/subjects/{subject_id}?source=` (erasure,
/// Art. 17) and `POST /v1/subjects/{subject_id}/objection?source=` (Art. 21). Only `dpo` keys
/// (and `admin`) may call them.
struct SubjectsController: Sendable {
    let store: any SubjectRightsHandling
    let pseudonymizer: SubjectPseudonymizer
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.get, "/v1/subjects/{subject_id}", in: catalog, allowing: [.auditor, .dpo], query: ["source"], use: access)
        router.route(.delete, "/v1/subjects/{subject_id}", in: catalog, allowing: [.dpo], query: ["source"], use: erase)
        router.route(.post, "/v1/subjects/{subject_id}/objection", in: catalog, allowing: [.dpo], query: ["source"], use: object)
    }

    /// Everything held about the subject (Art. 15), as JSON, Markdown or HTML by `Accept`.
    /// Every access is an audit entry, also one that finds nothing (then `404`).
    @Sendable func access(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let (subjectID, source) = try Self.subject(request, context: context)
        guard let format = ReportFormat.negotiate(request.headers[values: .accept].joined(separator: ",")) else {
            throw ProblemDetails(
                .http(.notAcceptable),
                detail: "The report comes as application/json, text/markdown or text/html; the Accept header allows none of them.")
        }
        let report = try await store.report(
            subjectRef: pseudonymizer.reference(source: source, subjectID: subjectID), format: format.rawValue, at: now(),
            apiKey: context.identity?.keyName)
        context.logger.notice(
            "subject access report", metadata: ["audit.seq": "\(report.audit.seq)", "admissions": "\(report.admissions.count)"])
        guard report.holdsAnything else {
            throw ProblemDetails(.notFound, detail: "Nothing is held about this subject at source '\(source)'.")
        }
        let body: String
        switch format {
        case .json:
            return JSONResponse.make(
                .ok, json: SubjectReportBody(report: report, subjectID: subjectID, source: source).json, headers: [.vary: "Accept"])
        case .markdown: body = MarkdownReport.render(SubjectReportSections(report, subjectID: subjectID, source: source))
        case .html: body = HTMLReport.render(SubjectReportSections(report, subjectID: subjectID, source: source))
        }
        return Response(
            status: .ok, headers: [.contentType: format.mediaType, .vary: "Accept"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    @Sendable func erase(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let (subjectID, source) = try Self.subject(request, context: context)
        let receipt = try await store.erase(
            subjectRef: pseudonymizer.reference(source: source, subjectID: subjectID), at: now(), apiKey: context.identity?.keyName)
        // The erasure id names this request for the person and the DPO; the log keeps no link
        // from it (or from anything else) to the subject.
        let erasureID = RecordID.make("era")
        context.logger.notice(
            "subject erased",
            metadata: [
                "erasure.id": "\(erasureID)", "audit.seq": "\(receipt.audit.seq)", "admissions": "\(receipt.admissions)",
                "images": "\(receipt.images)",
            ])
        return JSONResponse.make(
            .ok,
            json: .object([
                "erasure_id": .string(erasureID),
                "removed": .object([
                    "admissions": .integer(receipt.admissions), "images": .integer(receipt.images),
                    "queue_items": .integer(receipt.queueItems), "embeddings": .integer(receipt.embeddings),
                ]),
                "shared_images_kept": .integer(receipt.sharedImagesKept),
                "tainted_checkpoints": .array(receipt.taintedCheckpoints.map(JSONValue.string)),
                "nothing_left": .bool(receipt.nothingLeft),
                "audit": receipt.audit.referenceJSON,
            ]))
    }

    @Sendable func object(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let (subjectID, source) = try Self.subject(request, context: context)
        let receipt = try await store.registerObjection(
            subjectRef: pseudonymizer.reference(source: source, subjectID: subjectID), at: now(), apiKey: context.identity?.keyName)
        context.logger.notice(
            "objection registered", metadata: ["audit.seq": "\(receipt.audit.seq)", "dequeued": "\(receipt.dequeued)"])
        return JSONResponse.make(
            .ok,
            json: .object([
                "removed": .object(["queue_items": .integer(receipt.dequeued)]),
                "already_registered": .bool(receipt.alreadyRegistered),
                "audit": receipt.audit.referenceJSON,
            ]))
    }

    /// The subject id from the path and `source` from the query (default `default`), checked as
    /// an admission's `subject.id` and `source` are.
    static func subject(_ request: Request, context: TraingateRequestContext) throws -> (id: String, source: String) {
        var errors = FieldErrors()
        let id = errors.string(.string(try context.parameters.require("subject_id")), at: "subject_id", length: 1...256)
        let sources = request.uri.queryParameters.getAll("source")
        if sources.count > 1 { errors.add("source", "given more than once") }
        let source = errors.string(.string(sources.first.map { String($0) } ?? "default"), at: "source", length: 1...64)
        guard let id, let source, errors.all.isEmpty else { throw ProblemDetails(validation: errors.all) }
        return (id, source)
    }
}
