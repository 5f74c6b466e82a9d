/// The tunable knobs of a policy, with safe defaults.
public struct PolicyOptions: Hashable, Sendable, Encodable {
    /// Subjects younger than this are rejected everywhere.
    public var minimumAge: Int = 18
    /// Whether legitimate interests (GDPR Art. 6(1)(f)) can stand in for consent where a basis is
    /// needed, under the conditions of EDPB Opinion 28/2024 (assessment, notice, objection window,
    /// adults only).
    public var allowLegitimateInterests: Bool = false
    /// Days between the Art. 14 notice and the first use under legitimate interests, in which
    /// the subject can object.
    public var objectionWindowDays: Int = 30
    /// Whether a subject with no country signal at all is rejected (`RESIDENCY_UNKNOWN`).
    public var requireResidencySignal: Bool = true
    /// Restricted-tier regimes (keys of the policy's `jurisdictions`) whose subjects need a
    /// lawful basis; a policy that does not list them gets every restricted-tier regime.
    public var restrictedJurisdictions: [String] = []
    /// How review-tier regimes are treated.
    public var reviewRegimes: ReviewRegimeTreatment = .restricted
    /// A GPS position this close to a restricted territory counts as inside it.
    public var gpsBorderDistanceKm: Double = 25
    /// Whether the model trained on the admitted photos is generative. Reservations that
    /// prohibit only generative AI training (`DMI-PROHIBITED-GENAIMLTRAINING`,
    /// `c2pa.ai_generative_training`) bind only then; the built-in trainer makes embeddings.
    public var trainedModelGenerative: Bool = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case minimumAge = "minimum_age"
        case allowLegitimateInterests = "allow_legitimate_interests"
        case objectionWindowDays = "objection_window_days"
        case requireResidencySignal = "require_residency_signal"
        case restrictedJurisdictions = "restricted_jurisdictions"
        case reviewRegimes = "review_regimes"
        case gpsBorderDistanceKm = "gps_border_distance_km"
        case trainedModelGenerative = "trained_model_generative"
    }
}
