import Foundation
import Prometheus
import Synchronization
import TraingateStore

/// The audit log's state: `traingate_audit_head_seq`, `traingate_audit_verifications_total{result}`,
/// `traingate_audit_last_verification_timestamp_seconds` and `traingate_audit_last_verification_age_seconds`
/// (of the last verification that found the chain intact, in this process: the periodic one,
/// `audit.verify_interval_seconds`, or `GET /v1/audit/verify`).
final class AuditMetrics: Sendable {
    enum Result: String, CaseIterable {
        /// The chain and its anchors check out.
        case intact
        /// An entry or an anchor does not match: the log was changed.
        case broken
        /// The verification could not run (a storage error).
        case failed
    }

    private let headSeq: Gauge
    private let verifications: [Result: Counter]
    private let lastIntactTimestamp: Gauge
    private let lastIntactAge: Gauge
    /// Since when the age counts: the last intact verification, or the start until there is one
    /// (so a verifier that never succeeds shows a growing age, never a reassuring 0).
    private let lastIntact: Mutex<Date>

    init(_ families: MetricFamilies, startedAt: Date) {
        headSeq = families.gauge("audit_head", unit: "seq", help: "Sequence number of the newest audit entry.")
        verifications = families.counters(
            "audit_verifications", help: "Verifications of the audit chain run by this process, by result.", by: "result",
            Result.allCases)
        lastIntactTimestamp = families.gauge(
            "audit_last_verification_timestamp", unit: "seconds",
            help: "Unix time of the last verification that found the chain intact; 0 before the first.")
        lastIntactAge = families.gauge(
            "audit_last_verification_age", unit: "seconds",
            help: "Seconds since the last verification that found the chain intact (since the start before the first).")
        lastIntact = Mutex(startedAt)
    }

    func verified(_ verification: AuditVerification, at date: Date) {
        record(verification.ok ? .intact : .broken, at: date)
    }

    func record(_ result: Result, at date: Date) {
        verifications[result]?.increment()
        guard result == .intact else { return }
        lastIntact.withLock { $0 = date }
        lastIntactTimestamp.set(date.timeIntervalSince1970)
    }

    /// Sets the gauges read from the database and the clock, just before a scrape.
    func refresh(headSeq seq: Int64, at now: Date) {
        headSeq.set(Double(seq))
        lastIntactAge.set(max(0, now.timeIntervalSince(lastIntact.withLock { $0 })))
    }
}
