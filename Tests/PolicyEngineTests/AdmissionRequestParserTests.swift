import Foundation
import PolicyEngine
import StrictDocuments
import Testing

@Suite struct AdmissionRequestParserTests {
    private func parse(_ json: String) throws -> Result<AdmissionRequest, ValidationFailure> {
        AdmissionRequestParser.parse(try JSONValue.parse(Array(json.utf8)))
    }

    private func fields(_ json: String) throws -> [String] {
        guard case .failure(let failure) = try parse(json) else { return [] }
        return failure.errors.map(\.path)
    }

    @Test func aCompleteRequestParses() throws {
        let result = try parse(
            """
            {"image_id": "ig_1", "source": "instagram", "visibility": "public",
             "subject": {"id": "u1", "account_country": "US", "region": "US-IL", "age": 30},
             "lawful_basis": {"basis": "consent", "explicit": true, "purposes": ["model_training"],
                              "given_at": "2026-01-01T00:00:00+01:00"},
             "signals": {"upload_ip_country": "CA", "declared_location_country": "MX", "gps": {"lat": 40.7, "lon": -74}},
             "special_categories": ["health"], "opt_outs": {"ai_training": false, "tdm_reservation": false},
             "captured_at": "2026-11-01T10:00:00.5Z", "image_base64": "/9j/4AAQ"}
            """)
        let request = try result.get()
        #expect(request.source == "instagram")
        #expect(request.region == "US-IL")
        #expect(request.lawfulBasis?.givenAt == Timestamp.parse("2025-12-31T23:00:00Z"))
        #expect(request.gps == Coordinate(latitude: 40.7, longitude: -74))
        #expect(request.image == [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10])
        #expect(request.declaredSignals.map(\.country.rawValue) == ["US", "CA", "MX"])
    }

    @Test func sourceDefaultsToDefault() throws {
        let request = try parse(#"{"image_id":"a","subject":{"id":"u"},"visibility":"public"}"#).get()
        #expect(request.source == "default")
    }

    @Test func unknownFieldsAreRejectedAtEveryLevel() throws {
        let paths = try fields(
            """
            {"image_id": "a", "subject": {"id": "u", "nationality": "FR"}, "visibility": "public", "visibilty": "x",
             "lawful_basis": {"basis": "consent", "purpose": ["model_training"]},
             "signals": {"gps": {"lat": 1, "lon": 2, "alt": 3}}, "opt_outs": {"noai": true}}
            """)
        #expect(paths == ["visibilty", "subject.nationality", "lawful_basis.purpose", "signals.gps.alt", "opt_outs.noai"])
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let paths = try fields(
            """
            {"image_id": "", "subject": {"age": 17.5, "account_country": "UK"}, "visibility": "friends",
             "lawful_basis": {"basis": "vibes", "given_at": "yesterday"}, "signals": {"upload_ip_country": "fr",
             "declared_location_country": "XX", "gps": {"lat": 91, "lon": 0}}, "special_categories": ["hair_colour"],
             "captured_at": "2026-02-30T00:00:00Z", "image_base64": "%%%"}
            """)
        #expect(
            Set(paths)
                == [
                    "image_id", "visibility", "subject.id", "subject.account_country", "subject.age", "lawful_basis.basis",
                    "lawful_basis.given_at", "signals.upload_ip_country", "signals.declared_location_country",
                    "signals.gps.lat", "special_categories[0]", "captured_at", "image_base64",
                ])
    }

    @Test func lengthsCountUnicodeScalarsAndControlCharactersAreRefused() throws {
        let combining = "e" + String(repeating: "\u{0301}", count: 300)  // one grapheme, 301 scalars
        #expect(try fields(#"{"image_id":"\#(combining)","subject":{"id":"u"},"visibility":"public"}"#) == ["image_id"])
        #expect(try fields(#"{"image_id":"a\u0000b","subject":{"id":"u\n"},"visibility":"public"}"#) == ["image_id", "subject.id"])
        let longest = String(repeating: "é", count: 256)
        #expect(try fields(#"{"image_id":"\#(longest)","subject":{"id":"u"},"visibility":"public"}"#) == [])
    }

    @Test func nullsNeverSilentlyDropAConstraint() throws {
        #expect(
            try fields(
                #"{"image_id":"a","subject":{"id":"u","account_country":"US"},"visibility":"public","signals":{"gps":{"lat":48.85,"lon":null}}}"#)
                == ["signals.gps.lon"])
        #expect(
            try fields(
                #"{"image_id":"a","subject":{"id":"u"},"visibility":"public","special_categories":[null],"lawful_basis":{"basis":"consent","purposes":[null,"model_training"]}}"#
            )
                == ["lawful_basis.purposes[0]", "special_categories[0]"])
    }

    @Test func numbersAndBooleansAreNotInterchangeable() throws {
        let paths = try fields(
            #"{"image_id":"a","subject":{"id":"u","age":true},"visibility":"public","opt_outs":{"ai_training":1,"tdm_reservation":0}}"#)
        #expect(paths == ["subject.age", "opt_outs.ai_training", "opt_outs.tdm_reservation"])
        let request = try parse(#"{"image_id":"a","subject":{"id":"u","age":1},"visibility":"public","opt_outs":{"ai_training":true}}"#).get()
        #expect(request.age == 1 && request.optOutOfAITraining)
    }

    @Test(arguments: ["UK", "XX", "fr", "EU", "FRA", ""])
    func invalidCountryCodesAreErrorsNotUnrestrictedCountries(code: String) throws {
        #expect(
            try fields(#"{"image_id":"a","subject":{"id":"u","account_country":"\#(code)"},"visibility":"public"}"#)
                == ["subject.account_country"])
    }

    @Test func multipartMetadataMayNotCarryTheImage() throws {
        let json = try JSONValue.parse(Array(#"{"image_id":"a","subject":{"id":"u"},"visibility":"public","image_base64":"AA=="}"#.utf8))
        guard case .failure(let failure) = AdmissionRequestParser.parse(json, allowImageField: false) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errors.map(\.path) == ["image_base64"])
    }

    @Test func theCanonicalHashIgnoresKeyOrderWhitespaceOffsetsAndDefaults() throws {
        let a = try parse(
            #"{"image_id":"a","subject":{"id":"u","account_country":"US"},"visibility":"public","lawful_basis":{"basis":"consent","purposes":["model_training","x"],"given_at":"2026-01-01T01:00:00+01:00"}}"#
        ).get()
        let b = try parse(
            """
            { "visibility" : "public", "source": "default", "opt_outs": {"ai_training": false},
              "lawful_basis": {"given_at": "2026-01-01T00:00:00Z", "purposes": ["x", "model_training"], "basis": "consent",
                               "explicit": false},
              "subject": {"account_country": "US", "id": "u"}, "image_id": "a" }
            """
        ).get()
        #expect(a.canonicalHash(subjectRef: "r1") == b.canonicalHash(subjectRef: "r1"))
        var c = a
        c.optOutOfAITraining = true
        #expect(c.canonicalHash(subjectRef: "r1") != a.canonicalHash(subjectRef: "r1"))
        #expect(a.canonicalHash(subjectRef: "r2") != a.canonicalHash(subjectRef: "r1"))
        let form = String(decoding: a.canonicalBytes(subjectRef: "r1"), as: UTF8.self)
        #expect(!form.contains("\"u\""), "the raw subject id must not enter the stored hash")
    }
}
