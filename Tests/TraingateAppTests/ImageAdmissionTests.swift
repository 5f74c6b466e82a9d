import Crypto
import Foundation
import GRDB
import HummingbirdTesting
import Testing
import TraingateStore
@testable import TraingateApp
import TraingateTesting

/// Admissions with real photos: EXIF as a residency signal, minimised storage, refused images.
@Suite struct ImageAdmissionTests {
    private func post(_ client: any TestClientProtocol, _ fixture: String, country: String = "US", extra: String = "") async throws -> TestResponse {
        let image = Data(Bodies.image(fixture)).base64EncodedString()
        return try await client.postJSON(
            "/v1/admissions", Bodies.admission(imageID: fixture, country: country, extra: #","image_base64":"\#(image)""# + extra))
    }

    private func signals(_ response: TestResponse) -> [String] {
        (response.json["signals"] as? [[String: Any]] ?? []).map { "\($0["source"]!):\($0["country"]!)" }
    }

    @Test func exifGPSInTheEUMakesAnAmericanAccountsPhotoRestricted() async throws {
        try await TestApp.withClient { client, _ in
            let response = try await post(client, "gps-paris.jpg")
            #expect(response.status == .created)
            #expect(response.json["decision"] as? String == "rejected")
            #expect(signals(response).contains("exif_gps:FR"))
            let codes = (response.json["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["RESIDENCY_RESTRICTED", "LAWFUL_BASIS_MISSING"])

            let newYork = try await post(client, "gps-newyork.jpg")
            #expect(newYork.json["decision"] as? String == "admitted")
            #expect(signals(newYork) == ["account_country:US", "exif_gps:US"])

            // The dry run reads the photo's EXIF too.
            let image = Data(Bodies.image("gps-saint-denis-reunion.png")).base64EncodedString()
            let evaluation = try await client.postJSON("/v1/policy/evaluate", Bodies.admission(extra: #","image_base64":"\#(image)""#))
            #expect(signals(evaluation).contains("exif_gps:RE"))
            #expect(evaluation.json["decision"] as? String == "rejected")
        }
    }

    /// Art. 5(1)(c): the camera serial and owner name in the original's EXIF, its XMP and ICC
    /// profile reach no file in the data directory; what is stored is a small JPEG of pixels.
    @Test func theOriginalBytesNeverReachTheDisk() async throws {
        let consent = #","lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-01-01T00:00:00Z"}"#
        try await TestApp.withClient { client, traingate in
            let response = try await post(client, "gps-paris.jpg", country: "FR", extra: consent)
            #expect(response.json["decision"] as? String == "admitted")
            #expect(response.json["queued"] as? Bool == true)
            let stored = try await traingate.database.writer.read { db in try Data.fetchOne(db, sql: "SELECT bytes FROM image")! }
            #expect(stored.count < Bodies.image("gps-paris.jpg").count)
            #expect(stored.starts(with: [0xFF, 0xD8, 0xFF]))
            // Every file of the data directory, database, log and keys alike.
            try await traingate.database.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.full) }
            let directory = URL(fileURLWithPath: try traingate.database.path).deletingLastPathComponent()
            let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file.path) else { continue }
                for secret in ["SN-4711-TRAINGATE", "Jane Photographer", "xmpmeta"] {
                    #expect(data.range(of: Data(secret.utf8)) == nil, "\(secret) found in \(file.lastPathComponent)")
                }
            }
        }
    }

    @Test func theCaptureTimeFromEXIFIsSealedWithTheFacts() async throws {
        try await TestApp.withClient { client, traingate in
            _ = try await post(client, "gps-newyork.jpg")
            let entry = try #require(try await AuditStore(database: traingate.database).entries(AuditQuery(kind: .decision)).first)
            let masterKey = SymmetricKey(data: Array(repeating: UInt8(0x7F), count: 32))
            let lookup = SubjectKey.pseudonym(source: "instagram", subjectID: "user-1", key: masterKey)
            let facts = try #require(
                try await AuditStore(database: traingate.database).unsealedFacts(
                    of: entry, subjectLookup: lookup, keyring: SubjectKeyring(masterKey: masterKey)))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(facts)) as? [String: Any])
            #expect(object["captured_at"] as? String == "2023-12-31T23:59:59Z")
            #expect(object["captured_at_source"] as? String == "exif")
        }
    }

    @Test func refusedImagesNameTheLimitOrTheReasonAndRecordNothing() async throws {
        try await TestApp.withClient { client, traingate in
            let bomb = try await post(client, "bomb-60000x60000.png")
            #expect(bomb.status == .contentTooLarge)
            #expect((bomb.json["detail"] as? String)?.contains("limits.max_image_pixels") == true)
            #expect((bomb.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "image")

            let truncated = try await post(client, "truncated.jpg")
            #expect(truncated.status == .unprocessableContent)
            #expect(truncated.json["type"] as? String == "https://traingate.dev/problems/undecodable-image")
            #expect(truncated.headers[.contentType] == "application/problem+json")

            let counts = try await traingate.database.writer.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM admission")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM image")!)
            }
            #expect(counts == (0, 0))
        }
        try await TestApp.withClient({ $0.maxExifBytes = 100 }) { client, _ in
            let response = try await post(client, "gps-paris.jpg")
            #expect(response.status == .contentTooLarge)
            #expect((response.json["detail"] as? String)?.contains("limits.max_exif_bytes") == true)
        }
    }
}

extension ImageAdmissionTests {
    /// The suppression list holds the hashes of erased photos (filled by erasure, a later issue;
    /// the row is inserted here directly). A resized, re-encoded copy with other bytes is caught
    /// by its perceptual hash; a different photo is not.
    @Test func aCopyOfErasedContentIsCaughtByItsPerceptualHash() async throws {
        try await TestApp.withClient { client, traingate in
            let original = Data(Bodies.image("china.jpg")).base64EncodedString()
            let probe = try await client.postJSON("/v1/policy/evaluate", Bodies.admission(extra: #","image_base64":"\#(original)""#))
            let hex = try #require((probe.json["image"] as? [String: Any])?["phash"] as? String)
            let phash = try #require(UInt64(hex, radix: 16))
            let bands = PerceptualHashBands.bands(of: phash)
            try await traingate.database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO erased_content (sha256, erased_at, phash, phash_b0, phash_b1, phash_b2, phash_b3)
                        VALUES (?, '2026-01-01T00:00:00Z', ?, ?, ?, ?, ?)
                        """,
                    arguments: [String(repeating: "e", count: 64), Int64(bitPattern: phash), bands[0], bands[1], bands[2], bands[3]])
            }
            let copy = try await post(client, "gps-newyork.jpg")  // china, 320 px, re-encoded, other bytes
            #expect(copy.json["decision"] as? String == "rejected")
            #expect((copy.json["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["ERASED_CONTENT"])
            #expect(copy.json["queued"] as? Bool == false)
            let other = try await post(client, "astronaut.jpg")
            #expect(other.json["decision"] as? String == "admitted")
        }
    }
}
