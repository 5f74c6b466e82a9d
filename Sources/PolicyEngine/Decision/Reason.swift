import StrictDocuments

/// One failed rule of a decision: what failed, under which provision, and what a person can do about it.
public struct Reason: Hashable, Sendable, Codable {
    public let code: ReasonCode
    public let rule: RuleID
    /// The provisions of the laws that govern the case (the subject's regimes, the operator's).
    public let article: String
    public let message: String

    /// The reason as JSON, as the API and the admission rows show it.
    public var json: JSONValue {
        .object([
            "code": .string(code.rawValue), "rule": .string(rule.rawValue), "article": .string(article),
            "message": .string(message),
        ])
    }

    public init(code: ReasonCode, rule: RuleID, article: String, message: String) {
        self.code = code
        self.rule = rule
        self.article = article
        self.message = message
    }
}
