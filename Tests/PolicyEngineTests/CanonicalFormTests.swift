import Foundation
import PolicyEngine
import StrictDocuments
import Testing

/// The request hash (idempotency) and the sealed facts are written member by member for speed.
/// Stored hashes must never change across versions, or a replayed body would be decided again:
/// these tests hold the fast writer to the plain definition, a dictionary of the normal form
/// encoded by the generic canonical encoder (which sorts keys), as versions before it wrote them.
@Suite struct CanonicalFormTests {
    static let bodies = [
        #"{"image_id":"a","subject":{"id":"u"},"visibility":"public"}"#,
        #"""
        {"image_id": "ig_1", "source": "instagram", "visibility": "public",
         "subject": {"id": "u1", "account_country": "US", "region": "US-IL", "age": 30},
         "lawful_basis": {"basis": "consent", "explicit": true, "purposes": ["x", "model_training", "x"],
                          "given_at": "2026-01-01T00:00:00+01:00", "withdrawn_at": "2026-06-01T00:00:00.250Z"},
         "signals": {"upload_ip_country": "CA", "declared_location_country": "MX", "gps": {"lat": 40.7, "lon": -74}},
         "special_categories": ["health", "biometric", "health"], "opt_outs": {"ai_training": true, "tdm_reservation": false},
         "captured_at": "2026-11-01T10:00:00.5Z", "image_base64": "/9j/4AAQ"}
        """#,
        #"{"image_id":"q\"uote\\ \u00e9 ü 😀","source":"s/\/","subject":{"id":"ü\"","age":0},"visibility":"followers","lawful_basis":{"basis":"legitimate_interests","assessment_ref":"LIA-1"},"opt_outs":{"tdm_reservation":true}}"#,
        #"{"image_id":"g","subject":{"id":"u","account_country":"FR"},"visibility":"private","signals":{"gps":{"lat":-0.5,"lon":180}},"lawful_basis":{"basis":"contract"}}"#,
    ]

    static let signals = [
        CountrySignal(source: .accountCountry, country: CountryCode("US")!),
        CountrySignal(source: .gps, country: CountryCode("FR")!, distanceKm: 3.5),
    ]

    @Test(arguments: bodies)
    func theRequestHashIsTheCanonicalEncodingOfTheNormalForm(body: String) throws {
        let request = try parse(body)
        let expected = CanonicalJSON.encode(.object(reference(request, subject: ("ref", "r1"), imageSHA256: "ab")))
        #expect(
            String(decoding: request.canonicalBytes(subjectRef: "r1", imageSHA256: "ab"), as: UTF8.self)
                == String(decoding: expected, as: UTF8.self))
    }

    @Test(arguments: bodies, [nil, Date(timeIntervalSince1970: 1_780_000_000.125)])
    func theSealedFactsAreTheCanonicalEncodingOfTheNormalFormWithSignals(body: String, imageCapturedAt: Date?) throws {
        let request = try parse(body)
        var object = reference(request, subject: ("id", request.subjectID), imageSHA256: "cd")
        object["country_signals"] = .array(
            Self.signals.map { .object(["source": .string($0.source.rawValue), "country": .string($0.country.rawValue)]) })
        if request.capturedAt == nil, let imageCapturedAt {
            object["captured_at"] = .string(Timestamp.format(imageCapturedAt))
            object["captured_at_source"] = .string("exif")
        }
        let facts = request.auditFacts(imageSHA256: "cd", signals: Self.signals, imageCapturedAt: imageCapturedAt)
        #expect(String(decoding: facts, as: UTF8.self) == String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self))
    }

    private func parse(_ body: String) throws -> AdmissionRequest {
        try AdmissionRequestParser.parse(try JSONValue.parse(Array(body.utf8))).get()
    }

    /// The normal form as a dictionary, as `AdmissionRequest` built it before the direct writer.
    private func reference(_ request: AdmissionRequest, subject identity: (field: String, value: String), imageSHA256: String) -> [String: JSONValue]
    {
        var subject: [String: JSONValue] = [identity.field: .string(identity.value)]
        subject["account_country"] = request.accountCountry.map { .string($0.rawValue) }
        subject["region"] = request.region.map { .string($0) }
        subject["age"] = request.age.map { .number(Double($0)) }
        var object: [String: JSONValue] = [
            "image_id": .string(request.imageID), "source": .string(request.source), "subject": .object(subject),
            "visibility": .string(request.visibility.rawValue),
            "special_categories": .array(Set(request.specialCategories.map(\.rawValue)).sorted().map { .string($0) }),
            "opt_outs": .object(["ai_training": .bool(request.optOutOfAITraining), "tdm_reservation": .bool(request.tdmReservation)]),
        ]
        if let basis = request.lawfulBasis {
            var fields: [String: JSONValue] = [
                "explicit": .bool(basis.explicit), "purposes": .array(Set(basis.purposes).sorted().map { .string($0) }),
            ]
            fields["basis"] = basis.basis.map { .string($0.rawValue) }
            fields["given_at"] = basis.givenAt.map { .string(Timestamp.format($0)) }
            fields["withdrawn_at"] = basis.withdrawnAt.map { .string(Timestamp.format($0)) }
            fields["assessment_ref"] = basis.assessmentRef.map { .string($0) }
            object["lawful_basis"] = .object(fields)
        }
        var signals: [String: JSONValue] = [:]
        signals["upload_ip_country"] = request.uploadIPCountry.map { .string($0.rawValue) }
        signals["declared_location_country"] = request.declaredLocationCountry.map { .string($0.rawValue) }
        signals["gps"] = request.gps.map { .object(["lat": .number($0.latitude), "lon": .number($0.longitude)]) }
        object["signals"] = .object(signals)
        object["captured_at"] = request.capturedAt.map { .string(Timestamp.format($0)) }
        object["image_sha256"] = request.image.map { _ in .string(imageSHA256) }
        return object
    }
}
