import Foundation
import PolicyEngine
import StrictDocuments
import Testing

@Suite struct EvaluatorTests {
    private let now = Timestamp.parse("2026-11-28T12:00:00Z")!
    private let policy = DefaultPolicy.policy

    private func facts(_ signals: [String] = [], basis: LawfulBasisClaim? = nil) -> AdmissionFacts {
        AdmissionFacts(
            visibility: .public, lawfulBasis: basis,
            signals: signals.map { CountrySignal(source: .accountCountry, country: CountryCode($0)!) })
    }

    private func consent(purposes: [String] = ["model_training"], explicit: Bool = false) -> LawfulBasisClaim {
        var claim = LawfulBasisClaim()
        claim.basis = .consent
        claim.purposes = purposes
        claim.explicit = explicit
        claim.givenAt = Timestamp.parse("2026-01-01T00:00:00Z")
        return claim
    }

    @Test func aPublicPhotoOfANonEUSubjectNeedsNoBasis() {
        let decision = Evaluator.evaluate(policy, facts: facts(["US"]), environment: .init(now: now))
        #expect(decision.verdict == .admitted)
        #expect(decision.reasons.isEmpty)
        #expect(decision.policyVersion == policy.version)
    }

    @Test func oneRestrictedSignalAmongOthersMakesTheSubjectRestricted() {
        let decision = Evaluator.evaluate(policy, facts: facts(["US", "BR", "NO"]), environment: .init(now: now))
        #expect(decision.reasonCodes == [.residencyRestricted, .lawfulBasisMissing])
        #expect(decision.jurisdictions == ["EEA"])
        #expect(decision.reasons[0].message.contains("NO from account_country"))
    }

    @Test func validConsentAdmitsARestrictedSubject() {
        let decision = Evaluator.evaluate(policy, facts: facts(["FR"], basis: consent()), environment: .init(now: now))
        #expect(decision.verdict == .admitted)
        #expect(decision.jurisdictions == ["EU"])
    }

    @Test func everyReasonCarriesItsArticleAndAnActionableMessage() {
        var allFailing = facts(["DE"], basis: consent(purposes: ["ads"]))
        allFailing.visibility = .followers
        allFailing.optOutOfAITraining = true
        allFailing.subjectAge = 12
        allFailing.specialCategories = [.health]
        let decision = Evaluator.evaluate(
            policy, facts: allFailing, environment: .init(now: now, objectionRegistered: true, contentErased: true))
        #expect(
            decision.reasonCodes == [
                .visibilityNotPublic, .optedOut, .residencyRestricted, .consentPurposeMismatch, .minor, .specialCategory,
                .erasedContent,
            ])
        for reason in decision.reasons {
            // A German subject: every reason cites the GDPR, none the AI Act; the age of 12 is
            // below the policy's own minimum (18, above Germany's Art. 8 age), which cites the policy.
            let expected = reason.code == .minor ? "traingate policy (minimum_age)" : "GDPR Art."
            #expect(reason.article.hasPrefix(expected), "\(reason.code): \(reason.article)")
            #expect(!reason.article.contains("AI Act"))
            #expect(reason.message.count > 20)
        }
        #expect(decision.reasons.first { $0.code == .optedOut }!.message.contains("Art. 21"))
        #expect(decision.reasons.first { $0.code == .minor }!.message.contains("minimum of 18"))
    }

    @Test func sameFactsPolicyAndTimeGiveTheSameDecision() {
        let input = facts(["FR", "US"], basis: consent(purposes: []))
        let first = Evaluator.evaluate(policy, facts: input, environment: .init(now: now))
        for _ in 0..<50 { #expect(Evaluator.evaluate(policy, facts: input, environment: .init(now: now)) == first) }
    }

    @Test func withdrawalIsHonouredFromTheMomentItTakesEffect() {
        var claim = consent()
        claim.withdrawnAt = now.addingTimeInterval(1)
        #expect(Evaluator.evaluate(policy, facts: facts(["US"], basis: claim), environment: .init(now: now)).verdict == .admitted)
        let later = Evaluator.evaluate(policy, facts: facts(["US"], basis: claim), environment: .init(now: now.addingTimeInterval(1)))
        #expect(later.reasonCodes == [.consentWithdrawn])
    }

    @Test func aPolicyWithoutARuleDoesNotApplyIt() throws {
        let yaml = DefaultPolicy.yaml.replacingOccurrences(of: "visibility, opt_out,", with: "opt_out,")
        let relaxed = try PolicyLoader.load(yaml: yaml)
        var privatePost = facts(["US"])
        privatePost.visibility = .private
        #expect(Evaluator.evaluate(relaxed, facts: privatePost, environment: .init(now: now)).verdict == .admitted)
        #expect(Evaluator.evaluate(policy, facts: privatePost, environment: .init(now: now)).reasonCodes == [.visibilityNotPublic])
    }
}
