/// One piece of evidence of where the subject is, and where that evidence came from.
public struct CountrySignal: Hashable, Sendable {
    public enum Source: String, Sendable, CaseIterable {
        case accountCountry = "account_country"
        case uploadIPCountry = "upload_ip_country"
        case declaredLocationCountry = "declared_location_country"
        case gps
        case exifGPS = "exif_gps"
    }

    public let source: Source
    public let country: CountryCode
    /// For positions: distance in km to the nearest known place of `country`.
    public let distanceKm: Double?

    public init(source: Source, country: CountryCode, distanceKm: Double? = nil) {
        self.source = source
        self.country = country
        self.distanceKm = distanceKm
    }
}
