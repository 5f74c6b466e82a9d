#if canImport(Glibc)
    import Glibc
#endif
import Logging

/// How many connections the server takes at once. Each costs a file descriptor, and so do the
/// database, its log and the key files: a cap above the process's open-file limit would let
/// idle clients exhaust the descriptors, after which every accept fails and nothing, not even
/// `/healthz`, is answered. The cap is lowered to fit, with a warning.
enum ConnectionLimit {
    /// Descriptors kept for everything but connections (SQLite's files, readers, logs, TLS).
    static let reservedDescriptors = 64

    static func effective(configured: Int, logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return configured }
        let fitting = max(1, Int(limit.rlim_cur) - reservedDescriptors)
        guard configured > fitting else { return configured }
        logger.warning(
            "http.max_connections lowered to fit the open-file limit",
            metadata: ["configured": "\(configured)", "effective": "\(fitting)", "nofile": "\(limit.rlim_cur)"])
        return fitting
    }
}
