/// A reservation against AI training found inside the image file (its XMP `plus:DataMining`
/// or a C2PA training-and-mining assertion): as binding as `opt_outs.tdm_reservation`.
public struct RightsReservation: Hashable, Sendable {
    /// The signal as written (`DMI-PROHIBITED-AIMLTRAINING`, `c2pa.ai_training: notAllowed`).
    public let signal: String
    /// Where in the file it was found.
    public let location: String
    /// Whether it prohibits only training generative models: it binds only a policy with
    /// `options.trained_model_generative: true`.
    public let generativeOnly: Bool

    public init(signal: String, location: String, generativeOnly: Bool) {
        self.signal = signal
        self.location = location
        self.generativeOnly = generativeOnly
    }
}
