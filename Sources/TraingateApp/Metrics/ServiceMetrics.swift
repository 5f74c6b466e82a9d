import Foundation
import Prometheus

/// Every metric traingate records, on one registry that `/metrics` serves (docs/operations.md,
/// "Metrics"). Made once per application: tests build several applications in one process,
/// each with a registry of its own.
final class ServiceMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let decisions: DecisionMetrics
    let http: HTTPMetrics
    let limits: LimitMetrics
    let storage: StorageMetrics
    let queue: QueueMetrics
    let training: TrainingMetrics
    let audit: AuditMetrics

    init(registry: PrometheusCollectorRegistry, maxGroupCommitBatch: Int, startedAt: Date) {
        self.registry = registry
        let families = MetricFamilies(registry: registry)
        decisions = DecisionMetrics(families)
        http = HTTPMetrics(families)
        limits = LimitMetrics(families)
        storage = StorageMetrics(families, maxBatchSize: maxGroupCommitBatch)
        queue = QueueMetrics(families)
        training = TrainingMetrics(families)
        audit = AuditMetrics(families, startedAt: startedAt)
    }
}
