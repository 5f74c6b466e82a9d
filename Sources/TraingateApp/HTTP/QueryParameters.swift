import Hummingbird
import StrictDocuments

/// A route's query parameters read strictly: each known one at most once, any other named as
/// unknown with the list of those the route takes. The route then checks each value itself.
enum QueryParameters {
    /// The value of each known parameter given once, in name order, and a problem for each
    /// unknown or repeated one.
    static func single(_ request: Request, known: Set<String>) -> (values: [(name: String, value: String)], errors: [DocumentError]) {
        var values: [(name: String, value: String)] = []
        var errors: [DocumentError] = []
        let pairs = request.uri.queryParameters
        for name in Set(pairs.map { String($0.key) }).sorted() {
            let given = pairs.getAll(name)
            guard known.contains(name) else {
                errors.append(DocumentError(path: name, message: "unknown parameter; known: \(known.sorted().joined(separator: ", "))"))
                continue
            }
            guard given.count == 1, let value = given.first else {
                errors.append(DocumentError(path: name, message: "give this parameter once"))
                continue
            }
            values.append((name, value))
        }
        return (values, errors)
    }
}
