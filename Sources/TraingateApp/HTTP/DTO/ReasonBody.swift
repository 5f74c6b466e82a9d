import PolicyEngine
import StrictDocuments

/// A reason as the API shows it.
struct ReasonBody: Encodable {
    let code: String
    let rule: String
    let article: String
    let message: String

    var json: JSONValue {
        .object(["code": .string(code), "rule": .string(rule), "article": .string(article), "message": .string(message)])
    }

    init(_ reason: Reason) {
        code = reason.code.rawValue
        rule = reason.rule.rawValue
        article = reason.article
        message = reason.message
    }
}
