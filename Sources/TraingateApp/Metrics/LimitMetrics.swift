import Prometheus

/// `traingate_limit_rejections_total{limit}`: requests (and batch lines) refused by each limit.
struct LimitMetrics: Sendable {
    private let rejections: [RequestLimit: Counter]

    init(_ families: MetricFamilies) {
        rejections = families.counters(
            "limit_rejections", help: "Requests, batch lines and connections refused by a limit, by the limit's setting.", by: "limit",
            RequestLimit.allCases)
    }

    func rejected(by limit: RequestLimit) {
        rejections[limit]?.increment()
    }
}
