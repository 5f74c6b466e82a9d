import Foundation

/// The forms a subject access report comes in, chosen by the request's `Accept` header.
enum ReportFormat: String, Sendable, CaseIterable {
    case json
    case markdown
    case html

    var mediaType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }

    /// The acceptable format with the highest quality (RFC 9110 §12.5.1); JSON for no header
    /// or any wildcard that allows it, Markdown for `text/*`. Nil when nothing offered is
    /// acceptable. Ties go to the earlier entry in the header.
    static func negotiate(_ accept: String?) -> ReportFormat? {
        guard let accept, !accept.allSatisfy({ $0 == " " || $0 == "\t" }) else { return .json }
        var best: (format: ReportFormat, quality: Double)?
        for range in accept.split(separator: ",") {
            let parameters = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parameters.first else { continue }
            let quality = parameters.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            guard quality > 0, let format = format(for: type) else { continue }
            if quality > best?.quality ?? 0 { best = (format, quality) }
        }
        return best?.format
    }

    private static func format(for mediaType: String) -> ReportFormat? {
        switch mediaType {
        case "application/json", "application/*", "*/*": .json
        case "text/markdown", "text/x-markdown", "text/*": .markdown
        case "text/html": .html
        default: nil
        }
    }
}
