import Crypto
import Foundation
import Metrics
import PolicyEngine
import StrictDocuments
import TraingateStore

/// Orchestrates one admission: facts → policy engine → one durable write.
struct AdmissionService: Sendable {
    let policy: Policy
    let store: AdmissionStore
    let positions: PositionResolver
    let pseudonymizer: SubjectPseudonymizer
    let now: @Sendable () -> Date

    /// A decision together with what it was based on.
    struct Evaluation: Sendable {
        let decision: Decision
        let signals: [CountrySignal]
        let decidedAt: Date
    }

    /// Decides without recording anything (`POST /v1/policy/evaluate`).
    func evaluate(_ request: AdmissionRequest) async throws -> Evaluation {
        let subjectRef = pseudonymizer.reference(source: request.source, subjectID: request.subjectID)
        let standing = try await store.standing(subjectRef: subjectRef, contentSHA256: request.image.map(Self.sha256))
        return evaluate(request, standing: standing, at: now())
    }

    private func evaluate(_ request: AdmissionRequest, standing: SubjectStanding, at decidedAt: Date) -> Evaluation {
        let positionSignals = request.gps.map {
            positions.signals(for: $0, source: .gps, borderDistanceKm: policy.options.gpsBorderDistanceKm)
        } ?? []
        let facts = request.facts(positionSignals: positionSignals)
        let environment = EvaluationEnvironment(
            now: decidedAt, objectionRegistered: standing.objectionRegistered, contentErased: standing.contentErased)
        return Evaluation(
            decision: Evaluator.evaluate(policy, facts: facts, environment: environment), signals: facts.signals,
            decidedAt: decidedAt)
    }

    /// Decides and records: the answer exists only once its audit entry is durable.
    ///
    /// The decision is made here for the common case (no objection, content not erased); the
    /// write transaction reads the subject's standing and decides again if it is not clear, so
    /// the check and the record cannot drift apart.
    func admit(_ request: AdmissionRequest) async throws -> AdmissionOutcome {
        let decidedAt = now()
        let evaluation = evaluate(request, standing: .clear, at: decidedAt)
        let image = request.image.map(ImageUpload.init(bytes:))
        let subjectRef = pseudonymizer.reference(source: request.source, subjectID: request.subjectID)
        let submission = AdmissionSubmission(
            source: request.source, imageID: request.imageID, subjectRef: subjectRef, subjectID: request.subjectID,
            sealedFacts: request.auditFacts(imageSHA256: image?.sha256, signals: evaluation.signals),
            requestHash: request.canonicalHash(subjectRef: subjectRef, imageSHA256: image?.sha256), decision: evaluation.decision,
            redecide: { [self] standing in evaluate(request, standing: standing, at: decidedAt).decision },
            signals: evaluation.signals.map(StoredSignal.init),
            decidedAt: Timestamp.format(evaluation.decidedAt), image: image)
        let outcome = try await store.record(submission)
        if case .created(let admission) = outcome {
            (admission.verdict == .admitted ? Self.admittedCounter : Self.rejectedCounter).increment()
        }
        return outcome
    }

    // Created once: making a counter is a registry lookup under a lock.
    private static let admittedCounter = Counter(label: "traingate_admissions_total", dimensions: [("decision", "admitted")])
    private static let rejectedCounter = Counter(label: "traingate_admissions_total", dimensions: [("decision", "rejected")])

    static func sha256(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }
}
