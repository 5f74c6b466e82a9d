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
        if context.facts.tdmReservation {
            causes.append("text-and-data-mining rights are reserved (opt_outs.tdm_reservation, DSM Art. 4(3))")
            articles.append(context.policy.tdmReservationCitation)
        }
        guard !causes.isEmpty else { return [] }
        let joined = causes.joined(separator: "; ")
        let message = joined.prefix(1).uppercased() + joined.dropFirst() + ". The photo must not be used for training."
        return [Reason(code: .optedOut, rule: .optOut, article: articles.joined(separator: "; "), message: message)]
    }
}
