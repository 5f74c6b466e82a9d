import Foundation

/// A parsed `Content-Type` value: `essence` (`type/subtype`, lower case) and its parameters.
struct MediaType {
    let essence: String
    let parameters: [String: String]

    init?(_ header: String?) {
        guard let header else { return nil }
        if header == "application/json" {  // the common case, without splitting and lowercasing
            essence = header
            parameters = [:]
            return
        }
        let pieces = header.split(separator: ";")
        guard let first = pieces.first else { return nil }
        essence = first.trimmingCharacters(in: .whitespaces).lowercased()
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            parameters[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] =
                value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
        self.parameters = parameters
    }
}
