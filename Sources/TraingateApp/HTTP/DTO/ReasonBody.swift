import PolicyEngine

/// A reason as the API shows it.
struct ReasonBody: Encodable {
    let code: String
    let rule: String
    let article: String
    let message: String

    init(_ reason: Reason) {
        code = reason.code.rawValue
        rule = reason.rule.rawValue
        article = reason.article
        message = reason.message
    }
}
