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
    public func canonicalBytes(subjectRef: String, imageSHA256: String? = nil) -> [UInt8] {
        var form = CanonicalObjectWriter()
        form.string("captured_at", capturedAt.map(Timestamp.format))
        writeForm(subject: ("ref", subjectRef), imageSHA256: imageSHA256, into: &form)
        return form.finished()
    }

    /// What the audit log seals under the subject's key: the same normal form, with the raw
    /// subject id (it is personal data, which is why it is sealed) and the country signals the
    /// decision was based on, GPS resolved.
    /// - Parameter imageCapturedAt: the image's own capture time (EXIF `DateTimeOriginal`); it
    ///   fills `captured_at` when the request gave none, marked `captured_at_source: "exif"`.
    public func auditFacts(
        imageSHA256: String?, signals: [CountrySignal], imageCapturedAt: Date? = nil, rightsReservations: [RightsReservation] = [],
        imageMetadataNotes: [String] = []
    ) -> [UInt8] {
        var facts = CanonicalObjectWriter()
        facts.string("captured_at", (capturedAt ?? imageCapturedAt).map(Timestamp.format))
        facts.string("captured_at_source", capturedAt == nil && imageCapturedAt != nil ? "exif" : nil)
        facts.objects("country_signals", signals) { signal, object in
            object.string("country", signal.country.rawValue)
            object.string("source", signal.source.rawValue)
        }
        writeForm(subject: ("id", subjectID), imageSHA256: imageSHA256, into: &facts) { facts in
            // What the file itself said about training, also when the policy let it pass (a
            // generative-only reservation under an embedding trainer), and what could not be read.
            guard !rightsReservations.isEmpty || !imageMetadataNotes.isEmpty else { return }
            facts.object("image_rights") { rights in
                rights.strings("notes", imageMetadataNotes)
                rights.objects("reservations", rightsReservations) { reservation, object in
                    object.bool("generative_only", reservation.generativeOnly)
                    object.string("location", reservation.location)
                    object.string("signal", reservation.signal)
                }
            }
        }
        return facts.finished()
    }

    /// The members after `captured_at` (and the facts' `captured_at_source` and `country_signals`),
    /// in canonical key order.
    /// - Parameter afterImageID: members that sort between `image_id` and `image_sha256`.
    private func writeForm(
        subject identity: (field: String, value: String), imageSHA256: String?, into form: inout CanonicalObjectWriter,
        afterImageID: (inout CanonicalObjectWriter) -> Void = { _ in }
    ) {
        form.string("image_id", imageID)
        afterImageID(&form)
        form.string("image_sha256", image.map { imageSHA256 ?? Hex.encode(SHA256.hash(data: $0)) })
        if let basis = lawfulBasis {
            form.object("lawful_basis") { fields in
                fields.string("assessment_ref", basis.assessmentRef)
                fields.string("basis", basis.basis?.rawValue)
                fields.string("consent_ref", basis.consentRef)
                fields.bool("explicit", basis.explicit)
                fields.string("given_at", basis.givenAt.map(Timestamp.format))
                fields.string("notice_given_at", basis.noticeGivenAt.map(Timestamp.format))
                fields.string("notice_version", basis.noticeVersion)
                fields.strings("purposes", Set(basis.purposes).sorted())
                fields.string("withdrawn_at", basis.withdrawnAt.map(Timestamp.format))
            }
        }
        form.object("opt_outs") { optOuts in
            optOuts.bool("ai_training", optOutOfAITraining)
            optOuts.bool("tdm_reservation", tdmReservation)
        }
        form.object("signals") { signals in
            signals.string("declared_location_country", declaredLocationCountry?.rawValue)
            if let gps {
                signals.object("gps") { position in
                    position.number("lat", gps.latitude)
                    position.number("lon", gps.longitude)
                }
            }
            signals.string("upload_ip_country", uploadIPCountry?.rawValue)
        }
        form.string("source", source)
        form.strings("special_categories", Set(specialCategories.map(\.rawValue)).sorted())
        form.object("subject") { subject in
            subject.string("account_country", accountCountry?.rawValue)
            subject.number("age", age.map(Double.init))
            subject.string(identity.field, identity.value)
            subject.string("region", region)
        }
        form.string("visibility", visibility.rawValue)
    }

    /// SHA-256 of the canonical form: the idempotency check compares this.
    public func canonicalHash(subjectRef: String, imageSHA256: String? = nil) -> String {
        Hex.encode(SHA256.hash(data: canonicalBytes(subjectRef: subjectRef, imageSHA256: imageSHA256)))
    }
}
