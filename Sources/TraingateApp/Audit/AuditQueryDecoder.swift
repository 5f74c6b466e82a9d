import Hummingbird
import PolicyEngine
import StrictDocuments
import TraingateStore

/// Reads `GET /v1/audit` parameters strictly: every bad or unknown one is named in one 400.
enum AuditQueryDecoder {
    static let parameters: Set<String> = ["after", "limit", "kind", "decision", "reason", "since", "until"]

    static func decode(_ request: Request) throws -> AuditQuery {
        var query = AuditQuery()
        let (given, found) = QueryParameters.single(request, known: parameters)
        var errors = found
        for (name, raw) in given {
            switch name {
            case "after":
                guard let after = Int64(raw), after >= 0 else {
                    errors.append(DocumentError(path: name, message: "must be a non-negative integer (a seq)"))
                    continue
                }
                query.after = after
            case "limit":
                guard let limit = Int(raw), AuditQuery.limitRange.contains(limit) else {
                    errors.append(DocumentError(path: name, message: "must be an integer from 1 to 1000"))
                    continue
                }
                query.limit = limit
            case "kind":
                guard let kind = AuditEntry.Kind(rawValue: raw) else {
                    errors.append(
                        DocumentError(path: name, message: "must be one of \(AuditEntry.Kind.allCases.map(\.rawValue).joined(separator: ", "))"))
                    continue
                }
                query.kind = kind
            case "decision":
                guard raw == "admitted" || raw == "rejected" else {
                    errors.append(DocumentError(path: name, message: "must be admitted or rejected"))
                    continue
                }
                query.decision = raw
            case "reason":
                guard ReasonCode(rawValue: raw) != nil else {
                    errors.append(DocumentError(path: name, message: "must be a reason code such as RESIDENCY_RESTRICTED"))
                    continue
                }
                query.reason = raw
            default:  // since, until
                guard let date = Timestamp.parse(raw) else {
                    errors.append(DocumentError(path: name, message: "must be an RFC 3339 time such as 2026-11-28T12:00:00Z"))
                    continue
                }
                if name == "since" { query.since = Timestamp.format(date) } else { query.until = Timestamp.format(date) }
            }
        }
        guard errors.isEmpty else { throw ProblemDetails(validation: errors) }
        return query
    }
}
