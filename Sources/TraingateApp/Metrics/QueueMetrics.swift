import Prometheus
import TraingateStore

/// `traingate_training_queue_images` and `traingate_training_queue_jobs`: what waits for the
/// trainer, set from the store just before each scrape.
struct QueueMetrics: Sendable {
    private let images: Gauge
    private let jobs: Gauge

    init(_ families: MetricFamilies) {
        images = families.gauge("training_queue_images", help: "Admitted images in the training queue.")
        jobs = families.gauge("training_queue_jobs", help: "Training jobs queued and not yet started.")
    }

    func refresh(_ levels: StoreLevels) {
        images.set(Double(levels.queuedImages))
        jobs.set(Double(levels.queuedJobs))
    }
}
