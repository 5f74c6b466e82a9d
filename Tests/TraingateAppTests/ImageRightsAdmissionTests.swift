import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresTesting
import Testing
import TraingateTesting

@testable import TraingateApp

/// Reservations carried inside the image, end to end: a photo whose XMP or C2PA manifest
/// prohibits AI training is rejected `OPTED_OUT` naming the signal and where it was found; one
/// that prohibits only generative training is admitted under the default (embedding) policy
/// with the signal in its sealed facts; hostile metadata is noted there, and never fails.
@Suite struct ImageRightsAdmissionTests {
    private static func admit(_ client: any TestClientProtocol, _ fixture: String) async throws -> TestResponse {
        try await client.postJSON(
            "/v1/admissions",
            Bodies.admission(imageID: fixture, extra: #","image_base64":"\#(Data(Bodies.image(fixture)).base64EncodedString())""#))
    }

    private static func optedOutMessage(_ response: TestResponse) -> String? {
        (response.json["reasons"] as? [[String: Any]])?.first { $0["code"] as? String == "OPTED_OUT" }?["message"] as? String
    }

    @Test(arguments: [
        ("rights-xmp-aiml.jpg", "DMI-PROHIBITED-AIMLTRAINING in XMP plus:DataMining (JPEG APP1)"),
        ("rights-xmp-seeconstraint.webp", "DMI-PROHIBITED-SEECONSTRAINT in XMP plus:DataMining (WebP XMP chunk)"),
        ("rights-c2pa-notallowed.jpg", "c2pa.ai_training: notAllowed in C2PA c2pa.training-mining (JPEG APP11)"),
    ])
    func aReservationInTheFileRejectsThePhoto(fixture: String, named: String) async throws {
        try await TestApp.withClient { client, _ in
            let response = try await Self.admit(client, fixture)
            #expect(response.status == .created && response.json["decision"] as? String == "rejected")
            #expect(Self.optedOutMessage(response)?.contains(named) == true, "\(response.json)")
            #expect(response.json["image"] is NSNull, "the pixels of a rejected photo are not kept")
        }
    }

    /// The facts a decision was made on, from the access report.
    private static func facts(_ client: any TestClientProtocol, imageID: String) async throws -> [String: Any] {
        let report = try await client.get("/v1/subjects/user-1?source=instagram", key: nil).json
        let admission = (report["admissions"] as? [[String: Any]])?.first { $0["image_id"] as? String == imageID }
        return admission?["facts"] as? [String: Any] ?? [:]
    }

    @Test(arguments: StoreBackend.available) func aGenerativeOnlyReservationIsRecordedNotBinding(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await Self.admit(client, "rights-xmp-genai.png")
            #expect(response.json["decision"] as? String == "admitted", "\(response.json)")
            let rights = try await Self.facts(client, imageID: "rights-xmp-genai.png")["image_rights"] as? [String: Any]
            let reservation = try #require((rights?["reservations"] as? [[String: Any]])?.first)
            #expect(reservation["signal"] as? String == "DMI-PROHIBITED-GENAIMLTRAINING" && reservation["generative_only"] as? Bool == true)
        }
    }

    @Test(arguments: ["rights-xmp-entities.jpg", "rights-xmp-deep.jpg"])
    func hostileMetadataIsNotedAndDoesNotFailTheUpload(fixture: String) async throws {
        try await TestApp.withClient { client, _ in
            let response = try await Self.admit(client, fixture)
            #expect(response.status == .created && response.json["decision"] as? String == "admitted", "\(response.json)")
            let rights = try await Self.facts(client, imageID: fixture)["image_rights"] as? [String: Any]
            #expect((rights?["notes"] as? [String])?.count == 1, "\(String(describing: rights))")
        }
    }
}
