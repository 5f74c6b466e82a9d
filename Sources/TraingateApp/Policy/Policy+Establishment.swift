import PolicyEngine

extension Policy {
    /// What `serve` states at start: which policy decides, and who the operator is, since an
    /// operator established in a governing regime needs a basis for every subject.
    public var establishmentStatement: String {
        let head = "policy \(id) \(version): "
        guard !controller.establishedIn.isEmpty else {
            return head + "operator established in no regime (controller.established_in is empty): subjects outside "
                + "the governing regimes need no lawful basis"
        }
        return head + "operator established in \(controller.establishedIn.joined(separator: ", ")) "
            + "(controller.established_in): every subject needs a lawful basis"
    }
}
