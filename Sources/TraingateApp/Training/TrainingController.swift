import Foundation
import Hummingbird
import StrictDocuments
import TraingateStore

/// Training jobs: `POST /v1/training/jobs` queues one (202), `GET` shows one or all, and
/// `POST .../cancel` stops one (at once when queued, at the next step boundary when running).
struct TrainingController: Sendable {
    let store: any TrainingJobStore
    let worker: TrainingWorker
    /// Jobs that may wait at once; beyond it a submission is refused (409), so that nobody can
    /// queue years of training, each job an audit entry forever.
    let maxQueuedJobs: Int
    /// The largest job body (`limits.max_metadata_bytes`).
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<TraingateRequestContext>, catalog: RouteCatalog) {
        router.route(.post, "/v1/training/jobs", in: catalog, allowing: [.trainer], maxBodyBytes: maxBodyBytes, use: create)
        router.route(.get, "/v1/training/jobs", in: catalog, allowing: [.trainer], use: list)
        router.route(.get, "/v1/training/jobs/{job_id}", in: catalog, allowing: [.trainer], use: show)
        router.route(.post, "/v1/training/jobs/{job_id}/cancel", in: catalog, allowing: [.trainer], use: cancel)
    }

    @Sendable func create(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let body = try await RequestBody.readJSON(request, limit: maxBodyBytes, emptyIsObject: true)
        let parsed = TrainingParametersParser.parse(body)
        guard parsed.errors.isEmpty else { throw ProblemDetails(validation: parsed.errors) }
        let parameters = TrainingParametersParser.json(parsed.parameters)
        let job = try await store.submit(parameters: parameters, at: now(), apiKey: context.identity?.keyName, maxQueued: maxQueuedJobs)
        worker.jobQueued()
        context.logger.info("training job queued", metadata: ["job.id": "\(job.id)"])
        return JSONResponse.make(.accepted, json: TrainingJobBody(job: job).json, headers: [.location: "/v1/training/jobs/\(job.id)"])
    }

    @Sendable func list(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let jobs = try await store.jobs(limit: 1000).map(worker.control.current)
        return JSONResponse.make(.ok, json: .object(["jobs": .array(jobs.map { TrainingJobBody(job: $0).json })]))
    }

    @Sendable func show(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        JSONResponse.make(.ok, json: TrainingJobBody(job: worker.control.current(try await job(context))).json)
    }

    @Sendable func cancel(_ request: Request, context: TraingateRequestContext) async throws -> Response {
        let id = try context.parameters.require("job_id")
        guard let (job, cancelledNow) = try await store.cancelIfQueued(id, at: now(), by: context.identity?.keyName) else {
            throw notFound(id)
        }
        if !cancelledNow {
            guard job.status == .running else {
                throw ProblemDetails(.conflict, detail: "Job '\(id)' already ended (\(job.status.rawValue)); there is nothing to cancel.")
            }
            guard try await worker.requestCancel(id, by: context.identity?.keyName) else {
                throw ProblemDetails(.conflict, detail: "Job '\(id)' ended while the cancel was on its way; there is nothing to cancel.")
            }
        }
        return JSONResponse.make(.accepted, json: TrainingJobBody(job: worker.control.current(job)).json)
    }

    private func job(_ context: TraingateRequestContext) async throws -> TrainingJob {
        let id = try context.parameters.require("job_id")
        guard let job = try await store.job(id) else { throw notFound(id) }
        return job
    }

    private func notFound(_ id: String) -> ProblemDetails {
        ProblemDetails(.notFound, detail: "No training job with id '\(id)'.")
    }
}
