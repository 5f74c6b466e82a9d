/// Who may call a route, by the role of the API key that calls it. Every route names its roles
/// when it is registered, so the route table reads as the API's access map; `admin` may call
/// every route and `dpo` every route `auditor` may, without being listed. `AccessControl`
/// enforces it.
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

extension APIRole {
    /// Whether a key of this role may call a route open to `roles`.
    func mayCall(_ roles: [APIRole]) -> Bool {
        self == .admin || roles.contains(self) || roles.contains(.anyone) || (self == .dpo && roles.contains(.auditor))
    }
}
