/// Who runs the gate (the policy's `controller` block). An operator established in a regime
/// whose law covers all its processing wherever the subject lives (GDPR Art. 3(1), UK GDPR
/// Art. 3(1), the FADP for a Swiss controller) needs a lawful basis for every photo.
public struct ControllerSettings: Hashable, Sendable, Encodable {
    /// Labels of the regimes the operator is established in; empty for an operator outside all.
    public var establishedIn: [String] = []

    public init(establishedIn: [String] = []) {
        self.establishedIn = establishedIn
    }

    enum CodingKeys: String, CodingKey {
        case establishedIn = "established_in"
    }
}
