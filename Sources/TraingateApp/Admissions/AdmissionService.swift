import Crypto
import Foundation
import Imaging
import NIOPosix
import PolicyEngine
import StrictDocuments
import TraingateStore

/// Orchestrates one admission: facts → policy engine → one durable write.
struct AdmissionService: Sendable {
    let policy: Policy
    let store: any AdmissionRecording
    let positions: PositionResolver
    let pseudonymizer: SubjectPseudonymizer
    let imageLimits: ImageLimits
    /// Decoding reserves what it takes from here (a 40 MP image takes about 270 MB).
    let budget: MemoryBudget
    /// Counts recorded decisions (nil when metrics are off).
    let metrics: DecisionMetrics?
    let now: @Sendable () -> Date

    /// A decision together with what it was based on.
    struct Evaluation: Sendable {
        let decision: Decision
        /// What the decision was made from (country signals resolved).
        let facts: AdmissionFacts
        let decidedAt: Date
        let image: IntakeResult?
    }

    /// Decides without recording anything (`POST /v1/policy/evaluate`), as of `instant`
    /// (default now), with the subject's standing as stored now.
    func evaluate(_ request: AdmissionRequest, at instant: Date? = nil) async throws -> Evaluation {
        let image = try await inspect(request)
        let subjectRef = pseudonymizer.reference(source: request.source, subjectID: request.subjectID)
        let standing = try await store.standing(
            subjectRef: subjectRef, contentSHA256: image?.sha256, perceptualHash: image?.perceptualHash.value)
        return evaluate(request, image: image, standing: standing, at: instant ?? now())
    }

    /// Runs the image through intake (decode, EXIF, minimise, hash) on NIO's blocking thread
    /// pool: decoding takes milliseconds of CPU that must not hold an event loop or the
    /// cooperative pool the handlers share.
    /// - Throws: `ProblemDetails` naming the limit or the reason when the image is refused.
    private func inspect(_ request: AdmissionRequest) async throws -> IntakeResult? {
        guard let bytes = request.image else { return nil }
        do {
            return try await budget.withDecoding(of: bytes, limits: imageLimits) { header in
                try await NIOThreadPool.singleton.runIfActive { [imageLimits] in
                    assert(MultiThreadedEventLoopGroup.currentEventLoop == nil, "image intake must not run on an event loop")
                    return try ImageIntake.process(bytes, header: header, limits: imageLimits)
                }
            }
        } catch let error as ImageIntakeError {
            throw ProblemDetails(imageIntake: error)
        }
    }

    private func evaluate(_ request: AdmissionRequest, image: IntakeResult?, standing: SubjectStanding, at decidedAt: Date) -> Evaluation {
        let border = policy.options.gpsBorderDistanceKm
        // A position from the metadata and one from the photo's own EXIF both count; where they
        // disagree, the residency rule's caution (any restricted signal) decides.
        let positionSignals =
            (request.gps.map { positions.signals(for: $0, source: .gps, borderDistanceKm: border) } ?? [])
            + (image?.exif.gps.map {
                positions.signals(for: Coordinate(latitude: $0.latitude, longitude: $0.longitude), source: .exifGPS, borderDistanceKm: border)
            } ?? [])
        var facts = request.facts(positionSignals: positionSignals)
        facts.rightsReservations = Self.reservations(image)
        let environment = EvaluationEnvironment(now: decidedAt, standing: standing)
        return Evaluation(
            decision: Evaluator.evaluate(policy, facts: facts, environment: environment), facts: facts,
            decidedAt: decidedAt, image: image)
    }

    /// Decides and records: the answer exists only once its audit entry is durable.
    ///
    /// The decision is made here for the common case (no objection, content not erased); the
    /// write transaction reads the subject's standing and, if it is not clear, calls the engine
    /// itself with it, so the check and the record cannot drift apart.
    func admit(_ request: AdmissionRequest, caller: Caller?) async throws -> AdmissionOutcome {
        let outcome = try await store.record(try await prepare(request, caller: caller))
        // A replayed request answers the decision recorded before: it is not a new decision.
        if case .created(let admission) = outcome { metrics?.record(admission.verdict, reasons: admission.reasons) }
        return outcome
    }

    /// Everything an admission does before its write: image intake, the decision for a subject
    /// in clear standing, the pseudonym, the sealed facts and the request hash.
    /// (`POST /_bench/decide` stops here, so the benchmark can tell this work from the write's.)
    func prepare(_ request: AdmissionRequest, caller: Caller?) async throws -> AdmissionSubmission {
        let intake = try await inspect(request)
        let decidedAt = now()
        let evaluation = evaluate(request, image: intake, standing: .clear, at: decidedAt)
        let image = intake.map(ImageUpload.init(intake:))
        let subjectRef = pseudonymizer.reference(source: request.source, subjectID: request.subjectID)
        return AdmissionSubmission(
            source: request.source, imageID: request.imageID, subjectRef: subjectRef, subjectID: request.subjectID,
            sealedFacts: request.auditFacts(
                imageSHA256: image?.sha256, signals: evaluation.facts.signals, imageCapturedAt: intake?.exif.capturedAt,
                rightsReservations: evaluation.facts.rightsReservations, imageMetadataNotes: intake?.rights.notes ?? []),
            requestHash: request.canonicalHash(subjectRef: subjectRef, imageSHA256: image?.sha256), facts: evaluation.facts,
            policy: policy, decision: evaluation.decision, signals: evaluation.facts.signals.map(StoredSignal.init),
            decidedAt: evaluation.decidedAt, image: image, apiKey: caller?.keyName)
    }

    /// The reservations against AI training the image file carries, for the policy engine.
    private static func reservations(_ image: IntakeResult?) -> [RightsReservation] {
        (image?.rights.reservations ?? []).map(RightsReservation.init)
    }
}
