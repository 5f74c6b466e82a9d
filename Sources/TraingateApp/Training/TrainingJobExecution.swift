import Foundation
import Imaging
import Logging
import StrictDocuments
import Tensors
import Trainer
import TraingateStore

/// One job, from snapshot to checkpoint, run synchronously on the training thread (never an
/// event loop or the cooperative pool: every step is seconds of BLAS). It always ends the job
/// in the store, with the audit entry for its end, and never throws.
struct TrainingJobExecution: Sendable {
    let store: any TrainingJobStore
    let control: TrainingControl
    let logger: Logger
    let now: @Sendable () -> Date
    /// Most images one job takes from the queue (the oldest), so that its decoded inputs fit in
    /// memory: `training.max_images`.
    let maxImages: Int
    /// Told each step and each job's end (nil when metrics are off).
    let metrics: TrainingMetrics?
    /// Bytes of decoded images a job holds at most (3 planes of Float per image): 2 GiB.
    static let decodedBudget = 2 << 30
    /// Images embedded per forward pass once training is done.
    static let embeddingBatch = 256

    func run(_ job: TrainingJob) {
        var job = job
        metrics?.jobStarted()
        do {
            try execute(&job)
        } catch {
            logger.error("training job failed", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            end(job, .failed, "\(error)")
        }
        control.finished(job.id)
    }

    private struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private func execute(_ job: inout TrainingJob) throws {
        let (parameters, problems) = TrainingParametersParser.parse(job.parameters)
        guard problems.isEmpty else {
            throw Failure(description: "the job's stored parameters do not parse")
        }
        // The decoded inputs stay in memory for the whole job: at most `decodedBudget` bytes of them.
        let limit = min(maxImages, Self.decodedBudget / (12 * parameters.imageSide * parameters.imageSide))
        // Read before the snapshot: a removal that lands while it is taken is seen at the first step.
        var removalsSeen = try store.queueRemovals()
        let snapshot = try store.snapshot(limit: limit) { image, bytes in
            do {
                return try PixelPlanes.fromJPEG(bytes, side: parameters.imageSide)
            } catch {
                throw Failure(description: "the stored copy of \(image.admissionID) does not decode: \(error)")
            }
        }
        guard !snapshot.isEmpty else {
            throw Failure(description: "the training queue holds no admitted images with pixels; admit images first")
        }
        let examples = snapshot.map(\.image)
        let images = snapshot.map(\.input)
        let run = TrainingRun(parameters: parameters, images: images)
        // Epochs in which each image was in a batch that trained: an image dropped before its
        // batch ran did not train the model and is not in its lineage.
        var epochsUsed = [Int](repeating: 0, count: examples.count)
        var lastEpochUsed = [Int](repeating: -1, count: examples.count)
        var allowed = Array(examples.indices)
        var recheckError: (any Error)?
        var diverged = false
        var stopStatus: TrainingJob.Status?
        job.progress = TrainingProgress(totalSteps: run.totalSteps)
        control.report(job.id, progress: job.progress, images: examples.count)

        // Before each epoch: only items still in the queue go on (a rejection superseded them,
        // their subject objected, or they were erased meanwhile).
        func recheck() -> [Int]? {
            do {
                let kept = try store.stillQueued(examples.map(\.admissionID))
                allowed = examples.indices.filter { kept.contains(examples[$0].admissionID) }
                return allowed
            } catch {
                recheckError = error
                return nil
            }
        }
        // Before every step, when an erasure, objection or withdrawal took items out of the queue
        // since the last look (one row read per step): those drop out at the next step.
        func recheckIfRemoved() -> [Int]? {
            guard let removals = try? store.queueRemovals(), removals != removalsSeen else { return nil }
            removalsSeen = removals
            return recheck()
        }
        let ending: TrainingRun.Ending
        if parameters.epochs == 0 {
            _ = recheck()
            ending = .completed
        } else {
            ending = run.run(
                beforeEpoch: { _ in
                    let kept = recheck()
                    try? store.recordProgress(job.id, job.progress, images: allowed.count)
                    return kept
                },
                beforeStep: recheckIfRemoved,
                afterStep: { epoch, batch in
                    metrics?.stepEnded(batch: batch.count, done: job.progress.step + 1, total: job.progress.totalSteps)
                    for index in batch where lastEpochUsed[index] != epoch {
                        lastEpochUsed[index] = epoch
                        epochsUsed[index] += 1
                    }
                },
                shouldContinue: { progress in
                    job.progress = TrainingProgress(
                        epoch: progress.epoch, step: progress.step, totalSteps: progress.totalSteps, loss: progress.loss.map(Double.init))
                    control.report(job.id, progress: job.progress, images: allowed.count)
                    if recheckError != nil { return false }
                    if let loss = progress.loss, !loss.isFinite {
                        diverged = true
                        return false
                    }
                    stopStatus = control.stopReason(job.id)
                    return stopStatus == nil
                })
        }
        if let recheckError { throw recheckError }
        // What it trained on so far, also when it ends without a checkpoint.
        job.images = epochsUsed.filter { $0 > 0 }.count
        let step = "step \(job.progress.step) of \(job.progress.totalSteps)"
        // A loss that went bad on the very last step ends the run "completed": check it too.
        if let loss = run.losses.last, !loss.isFinite { diverged = true }
        switch ending {
        case _ where diverged:
            throw Failure(description: "training diverged: the loss is not a number at \(step); try a lower learning_rate")
        case .stopped:
            stopped(job, stopStatus ?? .failed, at: step)
            return
        case .tooFewImages(let remaining):
            throw Failure(description: "only \(remaining) image(s) were still admissible at epoch \(job.progress.epoch); training needs at least 2")
        case .completed:
            break
        }
        // The last epoch's re-check happened before it: check once more before embedding.
        guard recheck() != nil else { throw recheckError ?? Failure(description: "re-check failed") }
        // The lineage: every image a batch trained on, and every image the checkpoint embeds (an
        // image left out of every full batch trained nothing, epochs 0, but its embedding is
        // the checkpoint's use of it, and an erasure must find that checkpoint).
        let embedded = Set(allowed)
        let trained = examples.indices.filter { epochsUsed[$0] > 0 || embedded.contains($0) }
        let vectors = embed(allowed, of: images, model: run.model, side: parameters.imageSide)
        guard vectors.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw Failure(description: "training diverged: the embeddings are not finite numbers; try a lower learning_rate")
        }
        let checkpoint = TrainedCheckpoint(
            id: RecordID.make("ckpt"), format: CheckpointWeights.format, parameters: job.parameters,
            weights: CheckpointWeights.encode(run.model), embeddingDimension: parameters.embeddingDimension,
            lineage: trained.map {
                TrainedCheckpoint.Lineage(
                    admissionID: examples[$0].admissionID, imageSHA256: examples[$0].imageSHA256,
                    policyVersion: examples[$0].policyVersion, epochs: epochsUsed[$0])
            },
            embeddings: vectors.enumerated().map { (examples[allowed[$0.offset]].admissionID, $0.element) })
        job.images = trained.count
        // A cancel or shutdown that came during the last steps or the embedding still wins.
        if let reason = control.stopReason(job.id) {
            stopped(job, reason, at: "the end, before its checkpoint was saved")
            return
        }
        try store.succeed(job, checkpoint: checkpoint, at: now())
        metrics?.jobEnded(.succeeded)
        logger.info(
            "training job succeeded",
            metadata: ["job.id": "\(job.id)", "checkpoint.id": "\(checkpoint.id)", "images": "\(trained.count)"])
    }

    /// Unit-length embeddings of the chosen images, in batches.
    private func embed(_ indices: [Int], of images: [[Float]], model: EncoderModel, side: Int) -> [[Float]] {
        var vectors: [[Float]] = []
        for start in stride(from: 0, to: indices.count, by: Self.embeddingBatch) {
            let chunk = indices[start..<min(start + Self.embeddingBatch, indices.count)]
            let batch = Tensor(shape: [chunk.count, 3, side, side], values: chunk.flatMap { images[$0] })
            let embedded = model.embed(batch)
            let dimension = embedded.shape[1]
            for row in 0..<chunk.count { vectors.append(Array(embedded.values[(row * dimension)..<((row + 1) * dimension)])) }
        }
        return vectors
    }

    /// Ends a job stopped by a cancel (`.cancelled`), a shutdown or a lost lead (`.failed`); `point` says where.
    private func stopped(_ job: TrainingJob, _ reason: TrainingJob.Status, at point: String) {
        if reason == .cancelled {
            var job = job
            job.cancelledBy = control.cancelledBy(job.id)
            end(job, .cancelled, "cancelled at \(point)")
        } else if control.isAbandoned(job.id) {
            end(job, .failed, "interrupted at \(point): another instance leads training now; submit the job again")
        } else {
            end(job, .failed, "interrupted at \(point): the service shut down; submit the job again")
        }
    }

    private func end(_ job: TrainingJob, _ status: TrainingJob.Status, _ error: String) {
        metrics?.jobEnded(status)
        do {
            try store.end(job, status: status, error: error, at: now())
            logger.notice("training job ended", metadata: ["job.id": "\(job.id)", "status": "\(status.rawValue)", "reason": "\(error)"])
        } catch {
            // The row stays `running`: the next start fails it (failInterrupted), or on a shared
            // store the lead's next look while idle.
            logger.error("could not record the end of a training job", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
        }
    }
}
