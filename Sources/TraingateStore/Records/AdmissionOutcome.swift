/// What recording an admission did.
public enum AdmissionOutcome: Sendable {
    /// A new decision was recorded (first time for the key, or a changed body that superseded the old one).
    case created(StoredAdmission)
    /// The same body was already decided; nothing was written.
    case unchanged(StoredAdmission)

    /// Whether a new decision was recorded (201) rather than an earlier one returned (200).
    public var isNew: Bool {
        if case .created = self { return true }
        return false
    }

    public var admission: StoredAdmission {
        switch self {
        case .created(let admission), .unchanged(let admission): admission
        }
    }
}
