/// With no API key created, the server is open: acceptable on loopback for a person trying it,
/// never on an address others can reach.
enum DevelopmentMode {
    /// Refused start: open routes on a reachable address.
    struct ReachableWithoutKeys: Error, CustomStringConvertible {
        let host: String

        var description: String {
            "refusing to listen on \(host) without API keys: every route would be open to the network. "
                + "Create one first (traingate keys create --role admin --name NAME --data-dir DIR), or bind 127.0.0.1."
        }
    }

    static func isLoopback(host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    /// What the server says at start about its front door (never the word scripts wait for,
    /// "listening", which only the line with the bound address carries).
    static func statement(open: Bool, host: String) -> String {
        open
            ? "development mode: no API key exists, so every route is open, to this machine only (\(host)). "
                + "Create a key to close it: traingate keys create --role admin --name NAME"
            : "API keys required on every route but /healthz and /readyz"
    }
}
