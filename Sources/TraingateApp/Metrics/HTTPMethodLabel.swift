import HTTPTypes

/// A request method as a metric label: the methods traingate serves, and `other` for the rest,
/// so that a client inventing methods cannot grow the series without bound.
enum HTTPMethodLabel {
    static func label(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .patch, .options: method.rawValue
        default: "other"
        }
    }
}
