/// Opt-outs always win: the subject's own opt-out or an Art. 21 objection (data protection), and
/// a rights holder's text-and-data-mining reservation (copyright, DSM Directive Art. 4(3)).
enum OptOutRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        var causes: [String] = []
        var articles: [String] = []
        if context.facts.optOutOfAITraining { causes.append("the subject opted out of AI training (opt_outs.ai_training)") }
        if context.environment.objectionRegistered {
            causes.append("the subject objected to the processing of their photos (Art. 21)")
        }
        if !causes.isEmpty { articles.append(context.article(.optedOut)) }
        // Reservations inside the file bind like the field does; one that prohibits only
        // generative training binds only a policy that trains a generative model.
        let generative = context.policy.options.trainedModelGenerative
        let embedded = context.facts.rightsReservations.filter { !$0.generativeOnly || generative }
        if context.facts.tdmReservation || !embedded.isEmpty {
            if context.facts.tdmReservation {
                causes.append("text-and-data-mining rights are reserved (opt_outs.tdm_reservation, DSM Art. 4(3))")
            }
            for reservation in embedded {
                causes.append("the image reserves AI training: \(reservation.signal) in \(reservation.location)")
            }
            articles.append(context.policy.tdmReservationCitation)
        }
        guard !causes.isEmpty else { return [] }
        let joined = causes.joined(separator: "; ")
        let message = joined.prefix(1).uppercased() + joined.dropFirst() + ". The photo must not be used for training."
        return [Reason(code: .optedOut, rule: .optOut, article: articles.joined(separator: "; "), message: message)]
    }
}
