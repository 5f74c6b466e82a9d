/// The limits a request can be refused by, each named by its setting (docs/configuration.md):
/// the label of `traingate_limit_rejections_total`, so an operator sees which one bites.
enum RequestLimit: String, CaseIterable, Sendable {
    /// `http.rate_limit_per_key` (429).
    case ratePerKey = "http.rate_limit_per_key"
    /// `http.max_requests_in_flight` (503).
    case requestsInFlight = "http.max_requests_in_flight"
    /// `http.max_connections`: an idle connection closed to make room for a new one.
    case connections = "http.max_connections"
    /// `limits.memory_budget_bytes`: too large for the budget (413) or the budget in use (503).
    case memoryBudget = "limits.memory_budget_bytes"
    /// `limits.max_metadata_bytes`, which also bounds JSON bodies of other routes (413).
    case metadataBytes = "limits.max_metadata_bytes"
    /// `limits.max_image_bytes`, and the admission body it bounds (413).
    case imageBytes = "limits.max_image_bytes"
    /// `limits.max_image_pixels` and `limits.max_exif_bytes` (413).
    case imageContent = "limits.max_image_pixels"
    /// `limits.max_multipart_parts` (413).
    case multipartParts = "limits.max_multipart_parts"
    /// `limits.max_batch_lines` (413).
    case batchLines = "limits.max_batch_lines"
    /// `limits.max_batch_bytes` (413).
    case batchBytes = "limits.max_batch_bytes"
    /// Writes waiting for the group commit, 10,000 at most (503).
    case pendingWrites = "pending_writes"
    /// The body of `POST /v1/admissions/recheck`, 1 MiB at most (413).
    case recheckBytes = "recheck_body_bytes"
}
