import Prometheus
import TraingateStore

/// `traingate_group_commit_jobs` (writes per transaction), `traingate_group_commit_duration_seconds`
/// and `traingate_storage_errors_total{operation,kind}`, told by the store's writer and checkpointer.
struct StorageMetrics: StorageObserver {
    private let batchSizes: ValueHistogram
    private let commitDurations: DurationHistogram
    private let errors: [StorageOperation: [StorageFailureKind: Counter]]

    init(_ families: MetricFamilies, maxBatchSize: Int) {
        // Powers of two up to the writer's largest batch: 1 (an idle server) ... 512 (saturated).
        let sizes = sequence(first: 1.0) { $0 * 2 }.prefix { $0 < Double(maxBatchSize) } + [Double(maxBatchSize)]
        batchSizes = families.values(
            "group_commit_jobs", help: "Write jobs (admissions and other writes) committed together in one transaction.",
            buckets: Array(sizes))
        commitDurations = families.durations(
            "group_commit_duration", help: "Time of one group transaction, from its first statement to its durable commit.",
            buckets: MetricFamilies.latencyBuckets)
        errors = Dictionary(
            uniqueKeysWithValues: StorageOperation.allCases.map { operation in
                let byKind = families.counters(
                    "storage_errors",
                    help: "Storage failures by operation and SQLite's kind of failure: write jobs refused (commit), failed rounds (checkpoint).",
                    by: "kind",
                    StorageFailureKind.allCases, fixed: [("operation", operation.rawValue)])
                return (operation, byKind)
            })
    }

    func committed(jobs: Int, duration: Duration) {
        batchSizes.record(Double(jobs))
        commitDurations.record(duration)
    }

    func failed(_ operation: StorageOperation, jobs: Int, kind: StorageFailureKind) {
        errors[operation]?[kind]?.increment(by: Int64(jobs))
    }
}
