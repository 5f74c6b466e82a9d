import TraingateStore

/// What a group commit did for one admission: its outcome, and the subject key its write used
/// (nil when it wrote nothing), for the key cache once the group is durable.
public struct PostgresAdmissionWritten: Sendable {
    let outcome: AdmissionOutcome
    let subjectKey: SubjectKeyCache.Entry?
}
