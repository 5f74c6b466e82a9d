import Prometheus
import Synchronization
import TraingateStore

/// The trainer's progress: `traingate_training_steps_total`, `traingate_training_images_total`
/// (images through the encoder in training steps), `traingate_training_images_per_second` (of
/// the last step), `traingate_training_jobs_running`, `traingate_training_progress_ratio` and
/// `traingate_training_jobs_finished_total{status}`.
final class TrainingMetrics: Sendable {
    private let steps: Counter
    private let images: Counter
    private let imagesPerSecond: Gauge
    private let running: Gauge
    private let progress: Gauge
    private let finished: [TrainingJob.Status: Counter]
    /// When the running job's last step (or its start) ended: a step's rate is its batch over
    /// the time since.
    private let lastStepEnded = Mutex<ContinuousClock.Instant?>(nil)

    init(_ families: MetricFamilies) {
        steps = families.counter("training_steps", help: "Training steps (one batch through the encoder and back) completed.")
        images = families.counter("training_images", help: "Images trained on, summed over steps (an image counts once per epoch).")
        imagesPerSecond = families.gauge(
            "training_images_per_second", help: "Images per second of the running job's last step; 0 when no job runs.")
        running = families.gauge("training_jobs_running", help: "Training jobs running now (0 or 1).")
        progress = families.gauge(
            "training_progress", unit: "ratio", help: "Steps done over steps planned of the running job; 0 when no job runs.")
        finished = families.counters(
            "training_jobs_finished", help: "Training jobs ended, by status.", by: "status", [.succeeded, .failed, .cancelled])
    }

    func jobStarted() {
        running.set(to: 1)
        progress.set(to: 0)
        lastStepEnded.withLock { $0 = .now }
    }

    /// A step of `batch` images ended; `done` of `total` steps are done.
    func stepEnded(batch: Int, done: Int, total: Int) {
        let now = ContinuousClock.now
        let since = lastStepEnded.withLock { last in
            defer { last = now }
            return last.map { now - $0 }
        }
        steps.increment()
        images.increment(by: Int64(batch))
        if let since, since > .zero {
            let seconds = Double(since.components.seconds) + Double(since.components.attoseconds) / 1e18
            imagesPerSecond.set(Double(batch) / seconds)
        }
        if total > 0 { progress.set(Double(done) / Double(total)) }
    }

    func jobEnded(_ status: TrainingJob.Status) {
        finished[status]?.increment()
        running.set(to: 0)
        progress.set(to: 0)
        imagesPerSecond.set(to: 0)
        lastStepEnded.withLock { $0 = nil }
    }
}
