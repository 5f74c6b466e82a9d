/// One queued image as a job sees it: which admission it is, the policy version that admitted
/// it, and the stored (minimised) image.
public struct TrainingExample: Sendable {
    public let admissionID: String
    public let policyVersion: String
    public let imageSHA256: String
    public let imageBytes: [UInt8]
}
