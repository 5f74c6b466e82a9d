/// Who made a request: the API key's name and role. Absent in development mode (no key was
/// ever created), where the server is open on loopback only.
public struct Caller: Sendable, Hashable {
    /// Recorded with every decision and audit entry the request makes.
    public let keyName: String
    public let role: APIRole
}
