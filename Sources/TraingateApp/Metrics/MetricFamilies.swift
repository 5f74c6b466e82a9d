import Prometheus

/// Makes traingate's metrics on one registry, all named `traingate_<name>_<unit>` with help
/// text, as Prometheus's naming conventions ask (`_total` for counters, base units).
///
/// The registry refuses (fatally) a family registered twice with another type or help text, so
/// every family is made through here, once, when the application is built.
struct MetricFamilies: Sendable {
    let registry: PrometheusCollectorRegistry

    func counter(_ name: String, help: String, labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(descriptor: descriptor(name, "total", help), labels: labels)
    }

    /// One counter of the family per value of `label`, all made now (a series that is absent
    /// until its first event makes `rate()` over it absent too, not 0), besides the `fixed` labels.
    func counters<Value: RawRepresentable & Hashable>(
        _ name: String, help: String, by label: String, _ values: [Value], fixed: [(String, String)] = []
    ) -> [Value: Counter] where Value.RawValue == String {
        Dictionary(uniqueKeysWithValues: values.map { ($0, counter(name, help: help, labels: fixed + [(label, $0.rawValue)])) })
    }

    func gauge(_ name: String, unit: String = "", help: String, labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: descriptor(name, unit, help), labels: labels)
    }

    func durations(_ name: String, help: String, buckets: [Duration], labels: [(String, String)] = []) -> DurationHistogram {
        registry.makeDurationHistogram(descriptor: descriptor(name, "seconds", help), labels: labels, buckets: buckets)
    }

    func values(_ name: String, unit: String = "", help: String, buckets: [Double], labels: [(String, String)] = []) -> ValueHistogram {
        registry.makeValueHistogram(descriptor: descriptor(name, unit, help), labels: labels, buckets: buckets)
    }

    private func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "traingate", metricName: name, unitName: unit, helpText: help)
    }

    /// Request and commit latencies: 0.5 ms (a group commit on a fast disk) to 10 s.
    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]
}
