/// The tunable knobs of a policy, with safe defaults.
public struct PolicyOptions: Hashable, Sendable, Encodable {
    /// Subjects younger than this are rejected everywhere.
    public var minimumAge: Int = 18
    /// Whether a legitimate-interests assessment can stand in for consent in restricted jurisdictions.
    public var allowLegitimateInterests: Bool = false
    /// Whether a subject with no country signal at all is rejected (`RESIDENCY_UNKNOWN`).
    public var requireResidencySignal: Bool = true
    /// Jurisdictions (keys of the policy's `jurisdictions`) whose subjects need a lawful basis.
    public var restrictedJurisdictions: [String] = ["EU", "EEA", "UK", "CH"]
    /// A GPS position this close to a restricted territory counts as inside it.
    public var gpsBorderDistanceKm: Double = 25

    public init() {}

    enum CodingKeys: String, CodingKey {
        case minimumAge = "minimum_age"
        case allowLegitimateInterests = "allow_legitimate_interests"
        case requireResidencySignal = "require_residency_signal"
        case restrictedJurisdictions = "restricted_jurisdictions"
        case gpsBorderDistanceKm = "gps_border_distance_km"
    }
}
