import Foundation
import StrictDocuments

/// Turns a JSON admission body into an `AdmissionRequest`, or the complete list of what is wrong with it.
public enum AdmissionRequestParser {
    /// Limits on untrusted input, checked before anything else looks at the values.
    public static let maxPurposes = 32

    /// - Parameters:
    ///   - json: the parsed body (or the multipart `metadata` part).
    ///   - allowImageField: false for multipart metadata, where the image travels as its own part.
    ///   - now: the time of the request; a notice dated after it cannot have been given.
    /// - Returns: the request, or every field error found.
    public static func parse(
        _ json: JSONValue, allowImageField: Bool = true, now: Date = Date()
    ) -> Result<AdmissionRequest, ValidationFailure> {
        var errors = FieldErrors()
        var allowed: Set<String> = [
            "image_id", "source", "subject", "visibility", "lawful_basis", "signals", "special_categories", "opt_outs",
            "captured_at",
        ]
        if allowImageField { allowed.insert("image_base64") }
        guard let body = errors.object(json, at: "", allowed: allowed) else { return .failure(.init(errors: errors.all)) }

        let imageID = errors.string(body["image_id"], at: "image_id", length: 1...256)
        if body["image_id"] == nil || body["image_id"] == .null { errors.add("image_id", "is required") }
        let source = errors.string(body["source"], at: "source", length: 1...64)
        let visibility: AdmissionFacts.Visibility? = errors.enumeration(body["visibility"], at: "visibility")
        if body["visibility"] == nil || body["visibility"] == .null { errors.add("visibility", "is required") }

        var subjectID: String?
        var accountCountry: CountryCode?
        var region: String?
        var age: Int?
        if let subjectValue = body["subject"], subjectValue != .null,
            let subject = errors.object(subjectValue, at: "subject", allowed: ["id", "account_country", "region", "age"])
        {
            subjectID = errors.string(subject["id"], at: "subject.id", length: 1...256)
            if subject["id"] == nil || subject["id"] == .null { errors.add("subject.id", "is required") }
            accountCountry = errors.country(subject["account_country"], at: "subject.account_country")
            region = parseRegion(subject["region"], errors: &errors)
            age = errors.integer(subject["age"], at: "subject.age", range: 0...150)
        } else if body["subject"] == nil || body["subject"] == .null {
            errors.add("subject", "is required")
        }

        let lawfulBasis = parseLawfulBasis(body["lawful_basis"], now: now, errors: &errors)

        var uploadIP: CountryCode?
        var declared: CountryCode?
        var gps: Coordinate?
        if let signalsValue = body["signals"], signalsValue != .null,
            let signals = errors.object(
                signalsValue, at: "signals", allowed: ["upload_ip_country", "declared_location_country", "gps"])
        {
            uploadIP = errors.country(signals["upload_ip_country"], at: "signals.upload_ip_country")
            declared = errors.country(signals["declared_location_country"], at: "signals.declared_location_country")
            if let gpsValue = signals["gps"], gpsValue != .null,
                let position = errors.object(gpsValue, at: "signals.gps", allowed: ["lat", "lon"])
            {
                let lat = errors.number(position["lat"], at: "signals.gps.lat", range: -90...90)
                let lon = errors.number(position["lon"], at: "signals.gps.lon", range: -180...180)
                // A null coordinate must not silently drop the position (and with it a signal).
                if position["lat"] == nil || position["lat"] == .null { errors.add("signals.gps.lat", "is required") }
                if position["lon"] == nil || position["lon"] == .null { errors.add("signals.gps.lon", "is required") }
                if let lat, let lon { gps = Coordinate(latitude: lat, longitude: lon) }
            }
        }

        var categories: [AdmissionFacts.SpecialCategory] = []
        if let items = errors.array(body["special_categories"], at: "special_categories", maxCount: 8) {
            for (index, item) in items.enumerated() {
                if item == .null { errors.add("special_categories[\(index)]", "must not be null") }
                if let category: AdmissionFacts.SpecialCategory = errors.enumeration(item, at: "special_categories[\(index)]") {
                    if !categories.contains(category) { categories.append(category) }
                }
            }
        }

        var aiOptOut: Bool?
        var tdm: Bool?
        if let optOutsValue = body["opt_outs"], optOutsValue != .null,
            let optOuts = errors.object(optOutsValue, at: "opt_outs", allowed: ["ai_training", "tdm_reservation"])
        {
            aiOptOut = errors.bool(optOuts["ai_training"], at: "opt_outs.ai_training")
            tdm = errors.bool(optOuts["tdm_reservation"], at: "opt_outs.tdm_reservation")
        }
        let capturedAt = errors.timestamp(body["captured_at"], at: "captured_at")
        let image = parseImage(body["image_base64"], errors: &errors)

        guard errors.all.isEmpty, let imageID, let subjectID, let visibility else {
            return .failure(ValidationFailure(errors: errors.all))
        }
        var request = AdmissionRequest(imageID: imageID, subjectID: subjectID, visibility: visibility)
        request.source = source ?? "default"
        request.accountCountry = accountCountry
        request.region = region
        request.age = age
        request.lawfulBasis = lawfulBasis
        request.uploadIPCountry = uploadIP
        request.declaredLocationCountry = declared
        request.gps = gps
        request.specialCategories = categories
        request.optOutOfAITraining = aiOptOut ?? false
        request.tdmReservation = tdm ?? false
        request.capturedAt = capturedAt
        request.image = image
        return .success(request)
    }

    private static func parseRegion(_ value: JSONValue?, errors: inout FieldErrors) -> String? {
        guard let text = errors.string(value, at: "subject.region", length: 4...6) else { return nil }
        let parts = text.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, CountryCode(String(parts[0])) != nil, (1...3).contains(parts[1].count),
            parts[1].allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
        else {
            errors.add("subject.region", "'\(text)' is not an ISO 3166-2 subdivision code (e.g. US-IL)")
            return nil
        }
        return text
    }

    private static func parseLawfulBasis(_ value: JSONValue?, now: Date, errors: inout FieldErrors) -> LawfulBasisClaim? {
        guard let value, value != .null,
            let fields = errors.object(
                value, at: "lawful_basis",
                allowed: [
                    "basis", "explicit", "purposes", "given_at", "withdrawn_at", "consent_ref", "notice_version",
                    "notice_given_at", "assessment_ref",
                ])
        else { return nil }
        var claim = LawfulBasisClaim()
        claim.basis = errors.enumeration(fields["basis"], at: "lawful_basis.basis")
        claim.explicit = errors.bool(fields["explicit"], at: "lawful_basis.explicit") ?? false
        if let items = errors.array(fields["purposes"], at: "lawful_basis.purposes", maxCount: maxPurposes) {
            claim.purposes = items.enumerated().compactMap { index, item in
                if item == .null { errors.add("lawful_basis.purposes[\(index)]", "must not be null") }
                return errors.string(item, at: "lawful_basis.purposes[\(index)]", length: 1...64)
            }
        }
        claim.givenAt = errors.timestamp(fields["given_at"], at: "lawful_basis.given_at")
        claim.withdrawnAt = errors.timestamp(fields["withdrawn_at"], at: "lawful_basis.withdrawn_at")
        claim.assessmentRef = errors.string(fields["assessment_ref"], at: "lawful_basis.assessment_ref", length: 1...256)
        claim.consentRef = errors.string(fields["consent_ref"], at: "lawful_basis.consent_ref", length: 1...256)
        claim.noticeVersion = errors.string(fields["notice_version"], at: "lawful_basis.notice_version", length: 1...64)
        claim.noticeGivenAt = errors.timestamp(fields["notice_given_at"], at: "lawful_basis.notice_given_at")
        if let notice = claim.noticeGivenAt, notice > now {
            // A consent dated ahead is a claim to weigh (LAWFUL_BASIS_INSUFFICIENT); a notice is a
            // record of something that happened, and cannot have happened yet.
            errors.add("lawful_basis.notice_given_at", "is in the future (\(Timestamp.format(notice))): a notice is recorded once it was given")
        }
        return claim
    }

    private static func parseImage(_ value: JSONValue?, errors: inout FieldErrors) -> [UInt8]? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else {
            errors.add("image_base64", "must be a base64 string, got \(value.typeName)")
            return nil
        }
        guard let data = Data(base64Encoded: text), !data.isEmpty else {
            errors.add("image_base64", "is not valid, non-empty base64")
            return nil
        }
        return Array(data)
    }
}
