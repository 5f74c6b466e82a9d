import HTTPTypes
import Prometheus
import Synchronization

/// `traingate_http_requests_total{method,route,status}` and
/// `traingate_http_request_duration_seconds{method,route}`. The route is the template a request
/// matched (`/v1/subjects/{id}`), or `unmatched` (the router names no route, or its own
/// `NotFound`): never the raw path, which would make a series per subject.
final class HTTPMetrics: Sendable {
    private struct RequestKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private struct LatencyKey: Hashable {
        let method: String
        let route: String
    }

    private let families: MetricFamilies
    // Made on first use and kept: the registry looks families up under a lock of its own.
    private let requests = Mutex<[RequestKey: Counter]>([:])
    private let latencies = Mutex<[LatencyKey: DurationHistogram]>([:])

    init(_ families: MetricFamilies) {
        self.families = families
    }

    func record(method: HTTPRequest.Method, route: String?, status: HTTPResponse.Status, duration: Duration) {
        let method = HTTPMethodLabel.label(method)
        let route = route.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "unmatched"
        let requestKey = RequestKey(method: method, route: route, status: status.code)
        let counter = requests.withLock { cache in
            if let counter = cache[requestKey] { return counter }
            let counter = families.counter(
                "http_requests", help: "HTTP requests answered, by method, route template and status code.",
                labels: [("method", method), ("route", route), ("status", String(status.code))])
            cache[requestKey] = counter
            return counter
        }
        counter.increment()
        let latencyKey = LatencyKey(method: method, route: route)
        let histogram = latencies.withLock { cache in
            if let histogram = cache[latencyKey] { return histogram }
            let histogram = families.durations(
                "http_request_duration", help: "Time from a request's arrival to its response's head, by method and route template.",
                buckets: MetricFamilies.latencyBuckets, labels: [("method", method), ("route", route)])
            cache[latencyKey] = histogram
            return histogram
        }
        histogram.record(duration)
    }
}
