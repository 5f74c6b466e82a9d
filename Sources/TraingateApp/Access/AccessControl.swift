import Foundation
import Hummingbird
import HummingbirdAuth
import NIOCore

/// Decides, for each request to a route, whether its caller may call it: the route's roles
/// (named where the route is registered) against the role of the request's bearer key.
///
/// - Routes open to `anyone` (`/healthz`, `/readyz`) need no key.
/// - In development mode (no key was ever created) every route is open; the server then binds
///   loopback only (`DevelopmentMode`).
/// - `/metrics` may be opened to scrapers on loopback (`http.metrics_open_on_loopback`).
/// - Otherwise: no key, a malformed, unknown, revoked or expired key → 401 with
///   `WWW-Authenticate: Bearer`, always the same answer, so it never says whether a key exists;
///   a valid key whose role may not call the route → 403; a key over its rate → 429.
/// - Beyond `inFlight.maximum` requests in hand → 503 (probes and `/metrics` excepted).
struct AccessControl: Sendable {
    let keys: KeyCache
    let metricsOpenOnLoopback: Bool
    /// Requests per second per key (`429` beyond; no key in development mode, so no limit).
    let rateLimiter: RateLimiter
    /// Requests handled at once on every route but the probes (`503` beyond).
    let inFlight: InFlightLimit
    let now: @Sendable () -> Date

    /// The context the route's handler runs with (its `identity` set), or a 401/403 problem.
    func admit(_ request: Request, context: TraingateRequestContext, roles: [APIRole], path: String) throws -> TraingateRequestContext {
        if roles.contains(.anyone) || keys.isDevelopmentMode { return context }
        if metricsOpenOnLoopback, path == "/metrics", Self.isLoopback(context.remoteAddress) { return context }
        guard let token = request.headers.bearer?.token, let caller = keys.caller(presenting: token, at: now()) else {
            var problem = ProblemDetails(
                .unauthorized, detail: "This route needs a valid API key: send Authorization: Bearer <key> (traingate keys create).")
            problem.extraHeaders[.wwwAuthenticate] = #"Bearer realm="traingate""#
            throw problem
        }
        guard caller.role.mayCall(roles) else {
            throw ProblemDetails(
                .forbidden,
                detail:
                    "The key's role (\(caller.role.rawValue)) may not call this route; it needs \(roles.map(\.rawValue).joined(separator: " or ")).")
        }
        if let wait = rateLimiter.take(for: caller.keyName) {
            var problem = ProblemDetails(
                .rateLimited, detail: "This key made more than \(Int(rateLimiter.rate)) requests a second; retry in \(wait) s.",
                limit: .ratePerKey)
            problem.extraHeaders[.retryAfter] = "\(wait)"
            throw problem
        }
        var context = context
        context.identity = caller
        return context
    }

    /// Counts a request to a route other than the probes in, or refuses it with `503` when the
    /// server has `inFlight.maximum` requests in hand already. Pair with `leave(roles:path:)`.
    func enter(roles: [APIRole], path: String) throws {
        // Scrapes are not counted either: an overloaded server's metrics are what explain it.
        guard !roles.contains(.anyone), path != "/metrics" else { return }
        guard inFlight.enter() else {
            var problem = ProblemDetails(
                .busy, detail: "The server is handling \(inFlight.maximum) requests already; nothing was recorded. Retry in a second.",
                limit: .requestsInFlight)
            problem.extraHeaders[.retryAfter] = "1"
            throw problem
        }
    }

    func leave(roles: [APIRole], path: String) {
        if !roles.contains(.anyone), path != "/metrics" { inFlight.leave() }
    }

    /// 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6.
    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
