/// Content erased under Art. 17 must not come back through a re-upload.
enum ErasedContentRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        guard context.environment.contentErased else { return [] }
        return [
            context.reason(
                .erasedContent, .erasedContent, "The image matches content erased under Art. 17; it cannot be admitted again.")
        ]
    }
}
