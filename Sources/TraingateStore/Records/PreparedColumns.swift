import Foundation
import PolicyEngine
import StrictDocuments

/// What an admission's rows hold that does not depend on what the write reads, formed before the
/// write on the request's own task: the one writer thread every decision waits for then only
/// does what must be serial. The jurisdictions and reasons are the submitted decision's; a
/// decision made again inside the write (its standing was not clear) forms its own.
package struct PreparedColumns: Sendable {
    package let admissionID: String
    /// The decision's instant as stored (RFC 3339 UTC): the one place it is formatted.
    package let decidedAt: String
    package let jurisdictions: String
    package let signals: String
    /// The reason list as interned (`reason_list`), and the key its committed id is remembered by.
    package let reasons: String

    package init(_ submission: AdmissionSubmission) {
        admissionID = AdmissionStore.newAdmissionID()
        decidedAt = Timestamp.format(submission.decidedAt)
        jurisdictions = Self.jurisdictions(of: submission.decision)
        signals = JSONText.encode(.array(submission.signals.map(\.json)))
        reasons = Self.reasons(of: submission.decision)
    }

    package static func reasons(of decision: Decision) -> String {
        JSONText.encode(.array(decision.reasons.map(\.json)))
    }

    package static func jurisdictions(of decision: Decision) -> String {
        JSONText.encode(.array(decision.jurisdictions.map(JSONValue.string)))
    }
}
