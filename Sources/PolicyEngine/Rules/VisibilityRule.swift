/// Only photos their subject posted publicly may be used (the reasonable-expectations test of Art. 5(1)(a)).
enum VisibilityRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        guard context.facts.visibility != .public else { return [] }
        return [
            context.reason(
                .visibilityNotPublic, .visibility,
                "The post is visible to '\(context.facts.visibility.rawValue)' only; only public posts can be admitted.")
        ]
    }
}
