/// What the policy engine knows about one photo: the validated request, with positions
/// already turned into country signals.
public struct AdmissionFacts: Hashable, Sendable {
    public enum Visibility: String, Sendable, CaseIterable {
        case `public`
        case followers
        case `private`
    }

    public enum SpecialCategory: String, Sendable, CaseIterable {
        case racialOrEthnicOrigin = "racial_or_ethnic_origin"
        case politicalOpinions = "political_opinions"
        case religiousOrPhilosophicalBeliefs = "religious_or_philosophical_beliefs"
        case tradeUnionMembership = "trade_union_membership"
        case genetic
        case biometric
        case health
        case sexLifeOrOrientation = "sex_life_or_orientation"
    }

    public var visibility: Visibility
    public var subjectAge: Int?
    /// Absent when the request carried no `lawful_basis` object.
    public var lawfulBasis: LawfulBasisClaim?
    public var signals: [CountrySignal]
    public var specialCategories: [SpecialCategory]
    public var optOutOfAITraining: Bool
    public var tdmReservation: Bool
    /// Reservations against AI training carried inside the image file.
    public var rightsReservations: [RightsReservation] = []

    public init(
        visibility: Visibility, subjectAge: Int? = nil, lawfulBasis: LawfulBasisClaim? = nil,
        signals: [CountrySignal] = [], specialCategories: [SpecialCategory] = [],
        optOutOfAITraining: Bool = false, tdmReservation: Bool = false
    ) {
        self.visibility = visibility
        self.subjectAge = subjectAge
        self.lawfulBasis = lawfulBasis
        self.signals = signals
        self.specialCategories = specialCategories
        self.optOutOfAITraining = optOutOfAITraining
        self.tdmReservation = tdmReservation
    }
}
