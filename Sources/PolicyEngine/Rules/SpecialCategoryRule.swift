/// Art. 9 data (health, biometrics, beliefs, ...) may only be used with explicit consent.
enum SpecialCategoryRule {
    static func evaluate(_ context: RuleContext) -> [Reason] {
        let categories = context.facts.specialCategories
        guard !categories.isEmpty else { return [] }
        if context.facts.lawfulBasis?.isExplicitConsent(at: context.now) == true { return [] }
        return [
            context.reason(
                .specialCategory, .specialCategory,
                "Special categories (\(categories.map(\.rawValue).joined(separator: ", "))) need explicit, valid consent: "
                    + "lawful_basis.basis consent with explicit true, purpose model_training and given_at.")
        ]
    }
}
