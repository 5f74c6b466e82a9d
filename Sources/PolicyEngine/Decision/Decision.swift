/// The result of evaluating one admission's facts against a policy at a given time.
public struct Decision: Hashable, Sendable {
    public let verdict: Verdict
    /// Every failed rule, in policy order; empty when admitted.
    public let reasons: [Reason]
    /// The regimes that govern the case (where the subject is, where the operator is established), in the policy's reporting order.
    public let jurisdictions: [String]
    public let policyID: String
    public let policyVersion: String

    public var reasonCodes: [ReasonCode] { reasons.map(\.code) }
}
