/// One queued image as a job knows it: which admission it is, the policy version that admitted
/// it, and the content hash of the original. The stored pixels are handed over once, to be
/// decoded, and not kept.
public struct QueuedImage: Sendable {
    public let admissionID: String
    public let policyVersion: String
    public let imageSHA256: String

    package init(admissionID: String, policyVersion: String, imageSHA256: String) {
        self.admissionID = admissionID
        self.policyVersion = policyVersion
        self.imageSHA256 = imageSHA256
    }
}
