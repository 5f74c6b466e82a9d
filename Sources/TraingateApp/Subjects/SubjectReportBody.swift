import StrictDocuments
import TraingateStore

/// The access report as JSON (`GET /v1/subjects/{subject_id}`): each decision exactly as
/// `GET /v1/admissions/{id}` shows it, plus the facts it was made on, the embeddings held of
/// its image and the checkpoints the image trained.
struct SubjectReportBody {
    let report: SubjectReport
    let subjectID: String
    let source: String

    var json: JSONValue {
        .object([
            "subject": .object(["id": .string(subjectID), "source": .string(source)]),
            "objection": report.objectionRegisteredAt.map { .object(["registered_at": .string($0)]) } ?? .null,
            "admissions": .array(report.admissions.map(Self.admission)),
            "audit": report.audit.referenceJSON,
            "generated_at": .string(report.audit.at),
        ])
    }

    static func admission(_ item: SubjectReport.Admission) -> JSONValue {
        // The stored decision's own document, parsed back: one writer for both routes.
        guard case .object(var fields) = try? JSONValue.parse(AdmissionBody(item.admission, includeSupersededBy: true).bytes()) else {
            return .null
        }
        fields["facts"] = item.facts ?? .null
        fields["embeddings"] = .array(item.embeddings.map { .object(["checkpoint_id": .string($0)]) })
        fields["trained"] = .array(
            item.trained.map {
                .object(["checkpoint_id": .string($0.checkpointID), "job_id": .string($0.jobID), "epochs": .integer($0.epochs)])
            })
        return .object(fields)
    }
}
