/// A decision's subject-key work done before its write (`AdmissionStore.record`): the audit
/// pseudonym and the sealed facts, under a key from `SubjectKeyCache` or, for a subject it
/// does not know, a new key. The write uses it only when the key stored for the subject is the
/// one it was made from (`matches`): the same wrapped bytes, or no key at all for a new one.
package struct PreparedSubjectKey: Sendable {
    package let key: SubjectKey
    /// The key as `subject_key.wrapped` holds it (or will, for a new key).
    package let wrapped: [UInt8]
    /// A key made for a subject with none stored; the write stores it.
    package let isNew: Bool
    /// The subject's pseudonym in the audit entry.
    package let reference: String
    /// The facts sealed under the key.
    package let sealed: [UInt8]

    package init(key: SubjectKey, wrapped: [UInt8], isNew: Bool, source: String, subjectID: String, facts: [UInt8]) throws {
        self.key = key
        self.wrapped = wrapped
        self.isNew = isNew
        reference = key.reference(source: source, subjectID: subjectID)
        sealed = try key.seal(facts)
    }

    /// From the cached key, or a new key when the cache has none for the subject.
    package init(
        cached: SubjectKeyCache.Entry?, keyring: SubjectKeyring, lookup: String, source: String, subjectID: String, facts: [UInt8]
    ) throws {
        if let cached {
            try self.init(key: cached.key, wrapped: cached.wrapped, isNew: false, source: source, subjectID: subjectID, facts: facts)
        } else {
            let key = SubjectKey.random()
            try self.init(
                key: key, wrapped: try keyring.wrap(key, lookup: lookup), isNew: true, source: source, subjectID: subjectID, facts: facts)
        }
    }

    /// The same key and sealed facts, wrapped otherwise (PostgreSQL wraps under a bucket key).
    package func rewrapped(_ wrapped: [UInt8]) -> PreparedSubjectKey {
        PreparedSubjectKey(key: key, wrapped: wrapped, isNew: isNew, reference: reference, sealed: sealed)
    }

    private init(key: SubjectKey, wrapped: [UInt8], isNew: Bool, reference: String, sealed: [UInt8]) {
        self.key = key
        self.wrapped = wrapped
        self.isNew = isNew
        self.reference = reference
        self.sealed = sealed
    }

    /// Whether the key stored now (as the write read it) is the one this was made from.
    package func matches(stored: [UInt8]?) -> Bool {
        isNew ? stored == nil : stored == wrapped
    }
}
