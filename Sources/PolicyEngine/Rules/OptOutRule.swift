/// Opt-outs always win: the subject's own opt-out, a rights holder's TDM reservation, or an Art. 21 objection.
enum OptOutRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        var causes: [String] = []
        if context.facts.optOutOfAITraining { causes.append("the subject opted out of AI training (opt_outs.ai_training)") }
        if context.facts.tdmReservation {
            causes.append("text-and-data-mining rights are reserved (opt_outs.tdm_reservation, DSM Art. 4(3))")
        }
        if context.environment.objectionRegistered {
            causes.append("the subject objected to the processing of their photos (Art. 21)")
        }
        guard !causes.isEmpty else { return [] }
        let message = causes.joined(separator: "; ").prefix(1).uppercased() + causes.joined(separator: "; ").dropFirst()
        return [Reason(code: .optedOut, rule: .optOut, message: message + ". The photo must not be used for training.")]
    }
}
