import Foundation
import StrictDocuments

/// A validated admission request (the body of `POST /v1/admissions`), independent of how it arrived.
public struct AdmissionRequest: Hashable, Sendable {
    public var imageID: String
    public var source: String = "default"
    public var subjectID: String
    public var accountCountry: CountryCode?
    public var region: String?
    public var age: Int?
    public var visibility: AdmissionFacts.Visibility
    public var lawfulBasis: LawfulBasisClaim?
    public var uploadIPCountry: CountryCode?
    public var declaredLocationCountry: CountryCode?
    public var gps: Coordinate?
    public var specialCategories: [AdmissionFacts.SpecialCategory] = []
    public var optOutOfAITraining = false
    public var tdmReservation = false
    public var capturedAt: Date?
    /// The image bytes, from `image_base64` or a multipart `image` part.
    public var image: [UInt8]?

    public init(imageID: String, subjectID: String, visibility: AdmissionFacts.Visibility) {
        self.imageID = imageID
        self.subjectID = subjectID
        self.visibility = visibility
    }

    /// Country signals declared in the request, in a fixed order (positions are resolved elsewhere).
    public var declaredSignals: [CountrySignal] {
        [
            accountCountry.map { CountrySignal(source: .accountCountry, country: $0) },
            uploadIPCountry.map { CountrySignal(source: .uploadIPCountry, country: $0) },
            declaredLocationCountry.map { CountrySignal(source: .declaredLocationCountry, country: $0) },
        ].compactMap { $0 }
    }

    /// The facts the engine sees, given the signals derived from positions.
    public func facts(positionSignals: [CountrySignal]) -> AdmissionFacts {
        AdmissionFacts(
            visibility: visibility, subjectAge: age, lawfulBasis: lawfulBasis,
            signals: declaredSignals + positionSignals, specialCategories: specialCategories,
            optOutOfAITraining: optOutOfAITraining, tdmReservation: tdmReservation)
    }
}
