import StrictDocuments
import TraingateStore

/// The access report for people to read, as labelled rows in sections, independent of how
/// they are written (`MarkdownReport`, `HTMLReport`): one place decides what a reader sees.
struct SubjectReportSections {
    struct Section {
        let title: String
        let rows: [(label: String, value: String)]
    }

    let title: String
    let sections: [Section]

    init(_ report: SubjectReport, subjectID: String, source: String) {
        title = "Subject access report (GDPR Art. 15)"
        let admitted = report.admissions.filter { $0.admission.verdict == .admitted }.count
        let queued = report.admissions.filter(\.admission.queued).count
        var sections = [
            Section(
                title: "Summary",
                rows: [
                    ("Subject", "\(subjectID) at source \(source)"),
                    ("Generated", "\(report.audit.at) (audit entry \(report.audit.seq), hash \(report.audit.hash))"),
                    ("Objection", report.objectionRegisteredAt.map { "registered \($0): no photo of yours is admitted" } ?? "none"),
                    ("Decisions", "\(report.admissions.count) (\(admitted) admitted, \(queued) in the training queue now)"),
                ])
        ]
        for (index, item) in report.admissions.enumerated() {
            sections.append(Self.section(item, number: index + 1))
        }
        self.sections = sections
    }

    private static func section(_ item: SubjectReport.Admission, number: Int) -> Section {
        let admission = item.admission
        var rows: [(String, String)] = [
            ("Image id", admission.imageID),
            ("Decided", admission.decidedAt),
            ("Decision", admission.verdict.rawValue),
            ("Reasons", admission.reasons.map { "\($0.code.rawValue) (\($0.article)): \($0.message)" }.joined(separator: "; ")),
            ("Policy", "\(admission.policyID), version \(admission.policyVersion)"),
            ("Jurisdictions", admission.jurisdictions.isEmpty ? "none" : admission.jurisdictions.joined(separator: ", ")),
            ("In the training queue", admission.queued ? "yes" : "no"),
            ("Stored copy", admission.image.map { "JPEG, \($0.width ?? 0) × \($0.height ?? 0) px, SHA-256 \($0.sha256)" } ?? "none"),
            ("Embeddings held", item.embeddings.isEmpty ? "none" : item.embeddings.joined(separator: ", ")),
            (
                "Trained models",
                item.trained.isEmpty
                    ? "none" : item.trained.map { "\($0.checkpointID) (job \($0.jobID), \($0.epochs) epochs)" }.joined(separator: "; ")
            ),
            ("Audit entry", "\(admission.auditSeq), hash \(admission.auditHash)"),
        ]
        if let newer = admission.supersededBy { rows.append(("Superseded by", newer)) }
        rows += flattened(item.facts ?? .null, prefix: "Fact: ")
        return Section(title: "Decision \(number): \(admission.id)", rows: rows)
    }

    /// Nested facts as one row per leaf, named by its path (`lawful_basis.basis`).
    static func flattened(_ value: JSONValue, prefix: String) -> [(label: String, value: String)] {
        switch value {
        case .object(let fields):
            return fields.keys.sorted().flatMap { key in
                flattened(fields[key]!, prefix: prefix.hasSuffix(": ") ? prefix + key : prefix + "." + key)
            }
        case .array(let items) where items.allSatisfy(\.isScalar):
            return [(prefix, items.map(\.displayText).joined(separator: ", "))]
        case .array(let items):
            return items.enumerated().flatMap { flattened($1, prefix: "\(prefix)[\($0)]") }
        case .null where prefix.hasSuffix(": "):
            return []
        default:
            return [(prefix, value.displayText)]
        }
    }
}

extension JSONValue {
    fileprivate var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }

    /// A scalar as a person reads it: strings without quotes.
    fileprivate var displayText: String {
        if case .string(let text) = self { return text }
        return String(decoding: CanonicalJSON.encode(self), as: UTF8.self)
    }
}
