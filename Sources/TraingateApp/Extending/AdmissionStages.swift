import Hummingbird

/// An admission's work up to its write, one prefix at a time, so that a benchmark can tell what
/// each stage costs (bench/admissions). Nothing here records anything.
public struct AdmissionStages: Sendable {
    let decoder: AdmissionRequestDecoder
    let service: AdmissionService

    /// Decodes and validates an admission request, exactly as `POST /v1/admissions` does, and
    /// returns its `image_id`.
    public func decode(_ request: Request) async throws -> String {
        try await decoder.decode(request).imageID
    }

    /// Also decides the request and builds its write (pseudonym, sealed facts, request hash),
    /// then drops the write.
    public func decide(_ request: Request) async throws -> (verdict: String, requestHash: String) {
        let submission = try await service.prepare(try await decoder.decode(request), caller: nil)
        return (submission.decision.verdict.rawValue, submission.requestHash)
    }
}
