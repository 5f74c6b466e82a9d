import StrictDocuments
import TraingateStore

/// A training job as the API shows it (`GET /v1/training/jobs/{job_id}`).
struct TrainingJobBody {
    let job: TrainingJob

    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return .object([
            "job_id": .string(job.id), "status": .string(job.status.rawValue), "parameters": job.parameters,
            "progress": .object([
                "epoch": .number(Double(job.progress.epoch)), "step": .number(Double(job.progress.step)),
                "total_steps": .number(Double(job.progress.totalSteps)),
                "loss": job.progress.loss.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null,
            ]),
            "images": .number(Double(job.images)), "created_at": .string(job.createdAt), "started_at": optional(job.startedAt),
            "finished_at": optional(job.finishedAt), "checkpoint_id": optional(job.checkpointID), "error": optional(job.error),
            "lineage": job.checkpointID == nil
                ? .null
                : .object([
                    "erased_items": .integer(job.erasedItems), "objected_items": .integer(job.objectedItems),
                    "usable_for_new_embeddings": .bool(!job.isTainted),
                ]),
        ])
    }
}
