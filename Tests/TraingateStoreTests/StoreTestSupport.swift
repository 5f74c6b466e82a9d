import Crypto
import Foundation
import GRDB
import PolicyEngine
import ServiceLifecycle
import StrictDocuments
@testable import TraingateStore

/// A store on a real SQLite file in a fresh temporary directory, with its group-commit writer running.
struct StoreFixture {
    let directory: URL
    let database: AppDatabase
    let committer: GroupCommitWriter
    let keyring: SubjectKeyring
    let store: AdmissionStore

    /// A fixed master key, so tests can open what the store sealed.
    static let masterKey = SymmetricKey(data: [UInt8](repeating: 7, count: 32))
    static let keyring = SubjectKeyring(masterKey: masterKey)

    /// The same master key in a keyring of its own, so with caches of its own: another instance,
    /// or a suite whose cache checks other suites' erasures must not move.
    static func freshKeyring() -> SubjectKeyring { SubjectKeyring(masterKey: masterKey) }

    /// - Parameter keyring: the app's keyring; a suite that watches its caches passes one of its
    ///   own, which other suites' erasures do not touch.
    static func withStore<T>(keyring: SubjectKeyring = keyring, _ body: (StoreFixture) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(directory: directory)
        let committer = GroupCommitWriter(writer: database.writer)
        let fixture = StoreFixture(
            directory: directory, database: database, committer: committer,
            keyring: keyring, store: AdmissionStore(database: database, committer: committer, keyring: keyring))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await committer.run() }
            defer { group.cancelAll() }
            return try await body(fixture)
        }
    }

    /// A file's size in bytes, 0 when it does not exist.
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// The lookup pseudonym the app would compute (HMAC under the master key).
    static func lookup(_ subjectID: String) -> String {
        SubjectKey.pseudonym(source: "test", subjectID: subjectID, key: masterKey)
    }

    static func submission(
        imageID: String = "img-1", source: String = "test", subjectID: String = "user-1", verdict: Verdict = .admitted, requestHash: String = "h1",
        image: [UInt8]? = [0xFF, 0xD8, 0xFF, 0x00], consentWithdrawn: Bool = false
    ) -> AdmissionSubmission {
        let reasons: [ReasonCode] = consentWithdrawn ? [.consentWithdrawn] : verdict == .admitted ? [] : [.visibilityNotPublic]
        var facts = AdmissionFacts(
            visibility: verdict == .admitted ? .public : .private,
            signals: [CountrySignal(source: .accountCountry, country: CountryCode("US")!)])
        if consentWithdrawn {
            // Consent to training given, then withdrawn (Art. 7(3)).
            var claim = LawfulBasisClaim()
            claim.basis = .consent
            claim.purposes = ["model_training"]
            claim.givenAt = Date(timeIntervalSince1970: 1_767_225_600)
            claim.withdrawnAt = Date(timeIntervalSince1970: 1_769_904_000)
            facts.lawfulBasis = claim
        }
        let decision = Evaluator.evaluate(DefaultPolicy.policy, facts: facts, environment: EvaluationEnvironment(now: Date()))
        precondition(decision.reasons.map(\.code) == reasons)
        return AdmissionSubmission(
            source: source, imageID: imageID, subjectRef: lookup(subjectID), subjectID: subjectID,
            sealedFacts: CanonicalJSON.encode(.object(["subject_id": .string(subjectID), "image_id": .string(imageID)])),
            // As the app hashes a body: 64 hex digits (here of the label the test names the body by).
            requestHash: Hex.encode(SHA256Digest.of(Array(requestHash.utf8))),
            facts: facts, policy: DefaultPolicy.policy, decision: decision,
            signals: [StoredSignal(source: "account_country", country: "US", distanceKm: nil)], decidedAt: Date(),
            image: image.map { ImageUpload(sha256: Hex.encode(SHA256Digest.of($0)), contentType: "image/jpeg", bytes: $0) })
    }
}
