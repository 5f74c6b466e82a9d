import Foundation
import GRDB
import StrictDocuments

/// The subject access report (GDPR Art. 15), inside the caller's write transaction: every read
/// goes through an index keyed by the subject or one of its admissions.
package enum SubjectAccess {
    static func report(
        subjectRef: String, keyring: SubjectKeyring, format: String, at: String, apiKey: String?, in db: Database
    ) throws -> SubjectReport {
        let objection = try String.fetchOne(
            db, sql: "SELECT registered_at FROM objection WHERE subject_ref = ?", arguments: [StoredLookup(subjectRef)])
        let rows = try Row.fetchAll(
            db, sql: StoredAdmission.selectSQL + " WHERE admission.subject_ref = ? ORDER BY admission.audit_seq",
            arguments: [StoredLookup(subjectRef)])
        let key = try keyring.existingKey(forLookup: subjectRef, in: db)
        let admissions = try rows.map { row in
            let admission = try StoredAdmission(row: row)
            return SubjectReport.Admission(
                admission: admission, facts: try facts(of: admission, key: key, in: db),
                embeddings: try String.fetchAll(
                    db, sql: "SELECT checkpoint_id FROM embedding WHERE admission_id = ? ORDER BY checkpoint_id", arguments: [admission.id]),
                trained: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT l.checkpoint_id, c.job_id, l.epochs FROM checkpoint_lineage l JOIN checkpoint c ON c.id = l.checkpoint_id
                        WHERE l.admission_id = ? ORDER BY c.created_at, l.checkpoint_id
                        """, arguments: [admission.id]
                ).map { (checkpointID: $0[0], jobID: $0[1], epochs: $0[2]) })
        }
        let record = SubjectReport.record(
            found: objection != nil || !admissions.isEmpty, admissions: admissions.count, format: format, apiKey: apiKey, at: at)
        let audit = try AuditLog.append(record, in: db)
        return SubjectReport(objectionRegisteredAt: objection, admissions: admissions, audit: audit)
    }

    /// The decision's facts, opened from its audit entry with the subject's key.
    private static func facts(of admission: StoredAdmission, key: SubjectKey?, in db: Database) throws -> JSONValue? {
        let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM audit_entry WHERE seq = ?", arguments: [admission.auditSeq])
        return try openFacts(sealed.map(Array.init), of: admission, key: key)
    }

    /// Sealed facts opened with the subject's key, for the report (nil when nothing was sealed).
    /// - Throws: `StoreError.corruptRecord` when facts are sealed but the key is gone or does
    ///   not open them.
    package static func openFacts(_ sealed: [UInt8]?, of admission: StoredAdmission, key: SubjectKey?) throws -> JSONValue? {
        guard let sealed else { return nil }
        guard let key else { throw StoreError.corruptRecord("subject of admission \(admission.id) has sealed facts but no key") }
        do {
            return try JSONValue.parse(try key.open(sealed))
        } catch {
            throw StoreError.corruptRecord("the facts of admission \(admission.id) do not open under their subject's key")
        }
    }
}
