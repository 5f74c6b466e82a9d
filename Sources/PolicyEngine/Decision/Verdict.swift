/// The outcome of an admission check.
public enum Verdict: String, Sendable, Codable {
    case admitted
    case rejected
}
