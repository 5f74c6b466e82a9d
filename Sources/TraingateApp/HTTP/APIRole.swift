/// Who may call a route, by the role of the API key that calls it. Every route names its roles
/// when it is registered, so the route table reads as the API's access map; `admin` may call
/// every route and `dpo` every route `auditor` may, without being listed.
/// Not enforced yet: keys and their checks come with the security issue.
public enum APIRole: String, Sendable, CaseIterable {
    /// Pipelines: admissions, batches, evaluations, their own decisions.
    case submitter
    /// Auditors: the audit log, its verification and export, the policy.
    case auditor
    /// ML engineers: training jobs, embeddings, search.
    case trainer
    /// Data-protection officers: erasure and objection, and all an auditor may.
    case dpo
    /// Operators: everything, and key management.
    case admin
    /// No key needed (liveness and readiness probes).
    case anyone
}
