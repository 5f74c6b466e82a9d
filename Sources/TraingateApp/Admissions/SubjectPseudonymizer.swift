import Crypto
import TraingateStore

/// Turns (source, subject id) into `subject_ref`, a keyed pseudonym (HMAC-SHA256), so neither the
/// audit log nor the admission rows hold the subject id in clear, yet one subject's records link up.
struct SubjectPseudonymizer: Sendable {
    private let key: PseudonymKey

    init(key: SymmetricKey) {
        self.key = PseudonymKey(key)
    }

    func reference(source: String, subjectID: String) -> String {
        key.pseudonym(source: source, subjectID: subjectID)
    }
}
