import Crypto
import Foundation
import StrictDocuments

extension AdmissionRequest {
    /// The request in normal form: defaults filled in, absent and default values alike, timestamps
    /// in UTC, the image replaced by its SHA-256 and the subject id by its keyed pseudonym. Two
    /// bodies that mean the same have the same form, whatever their key order, whitespace or
    /// time-zone offsets.
    /// - Parameters:
    ///   - subjectRef: the subject's pseudonym; the raw id never enters a stored hash, where
    ///     guessed ids could be tested against it.
    ///   - imageSHA256: the image's digest when the caller has it already (images can be 20 MiB).
    public func canonicalForm(subjectRef: String, imageSHA256: String? = nil) -> JSONValue {
        form(subject: ("ref", subjectRef), imageSHA256: imageSHA256)
    }

    /// What the audit log seals under the subject's key: the same normal form, with the raw
    /// subject id (it is personal data, which is why it is sealed) and the country signals the
    /// decision was based on, GPS resolved.
    /// - Parameter imageCapturedAt: the image's own capture time (EXIF `DateTimeOriginal`); it
    ///   fills `captured_at` when the request gave none, marked `captured_at_source: "exif"`.
    public func auditFacts(imageSHA256: String?, signals: [CountrySignal], imageCapturedAt: Date? = nil) -> [UInt8] {
        guard case .object(var object) = form(subject: ("id", subjectID), imageSHA256: imageSHA256) else { return [] }
        object["country_signals"] = .array(signals.map { .object(["source": .string($0.source.rawValue), "country": .string($0.country.rawValue)]) })
        if capturedAt == nil, let imageCapturedAt {
            object["captured_at"] = .string(Timestamp.format(imageCapturedAt))
            object["captured_at_source"] = .string("exif")
        }
        return CanonicalJSON.encode(.object(object))
    }

    private func form(subject identity: (field: String, value: String), imageSHA256: String?) -> JSONValue {
        var subject: [String: JSONValue] = [identity.field: .string(identity.value)]
        subject["account_country"] = accountCountry.map { .string($0.rawValue) }
        subject["region"] = region.map { .string($0) }
        subject["age"] = age.map { .number(Double($0)) }
        var object: [String: JSONValue] = [
            "image_id": .string(imageID), "source": .string(source), "subject": .object(subject),
            "visibility": .string(visibility.rawValue),
            "special_categories": .array(Set(specialCategories.map(\.rawValue)).sorted().map { .string($0) }),
            "opt_outs": .object(["ai_training": .bool(optOutOfAITraining), "tdm_reservation": .bool(tdmReservation)]),
        ]
        if let basis = lawfulBasis {
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
        signals["upload_ip_country"] = uploadIPCountry.map { .string($0.rawValue) }
        signals["declared_location_country"] = declaredLocationCountry.map { .string($0.rawValue) }
        signals["gps"] = gps.map { .object(["lat": .number($0.latitude), "lon": .number($0.longitude)]) }
        object["signals"] = .object(signals)
        object["captured_at"] = capturedAt.map { .string(Timestamp.format($0)) }
        object["image_sha256"] = image.map { .string(imageSHA256 ?? Hex.encode(SHA256.hash(data: $0))) }
        return .object(object)
    }

    /// SHA-256 of the canonical form: the idempotency check compares this.
    public func canonicalHash(subjectRef: String, imageSHA256: String? = nil) -> String {
        Hex.encode(SHA256.hash(data: CanonicalJSON.encode(canonicalForm(subjectRef: subjectRef, imageSHA256: imageSHA256))))
    }
}
