/// A reservation against AI training carried inside the image file itself: an IPTC/PLUS
/// `plus:DataMining` value in its XMP packet, or a C2PA training-and-mining assertion.
public struct TrainingReservation: Sendable, Hashable {
    /// The signal as written: the PLUS vocabulary code (`DMI-PROHIBITED-AIMLTRAINING`) or the
    /// assertion entry and its value (`c2pa.ai_training: notAllowed`).
    public let signal: String
    /// Where it was found: `XMP plus:DataMining (JPEG APP1)`, `C2PA c2pa.training-mining (PNG caBX)`.
    public let location: String
    /// True when it prohibits only training generative models (`DMI-PROHIBITED-GENAIMLTRAINING`,
    /// `c2pa.ai_generative_training`): it binds only a policy whose trained model is generative.
    public let generativeOnly: Bool

    public init(signal: String, location: String, generativeOnly: Bool) {
        self.signal = signal
        self.location = location
        self.generativeOnly = generativeOnly
    }
}
