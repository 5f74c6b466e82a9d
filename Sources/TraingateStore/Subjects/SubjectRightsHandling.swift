import Foundation

/// The people in the photos: access (Art. 15), objection (Art. 21) and erasure (Art. 17), each
/// written in one transaction with its audit entry and everything it changes. SQLite's
/// `SubjectRightsStore` or PostgreSQL's `PostgresSubjectRightsStore`.
public protocol SubjectRightsHandling: Sendable {
    /// Everything held about the subject, read in the transaction that audits the access.
    func report(subjectRef: String, format: String, at date: Date, apiKey: String?) async throws -> SubjectReport
    /// Registers an objection and takes the subject's items out of the training queue.
    func registerObjection(subjectRef: String, at date: Date, apiKey: String?) async throws -> ObjectionReceipt
    /// Erases the subject: images, queue items, embeddings, personal fields, its key.
    func erase(subjectRef: String, at date: Date, apiKey: String?) async throws -> ErasureReceipt
}
