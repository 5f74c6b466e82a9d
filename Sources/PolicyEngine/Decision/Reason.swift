/// One failed rule of a decision: what failed, under which article, and what a person can do about it.
public struct Reason: Hashable, Sendable, Codable {
    public let code: ReasonCode
    public let rule: RuleID
    public let article: String
    public let message: String

    public init(code: ReasonCode, rule: RuleID, message: String) {
        self.code = code
        self.rule = rule
        self.article = code.article
        self.message = message
    }
}
