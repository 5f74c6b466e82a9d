import Crypto
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import StrictDocuments
import Testing
import TraingateStore
import TraingateTesting

@testable import TraingateApp

/// Proof that an erasure leaves nothing behind (issue 17, item 2): every file of the data
/// directory is searched, byte for byte, for the subject's id, its image ids, the plaintext of
/// its sealed facts and pieces of every stored copy of its photos. Before the erasure the same
/// search finds them (so it can fail); after it, with the server still running and again after
/// it stopped, nothing is found, the chain verifies, and the old entries read as erased.
@Suite struct ErasureProofTests {
    static let marker = "Q7Z3Wx9k"
    static let subjectID = "subject-\(marker)"
    static let consentRef = "consent-\(marker)"
    static let photos = ["china.jpg", "astronaut.jpg", "chelsea.png"]

    /// Admits each of `photos` for `subject-MARKER`, on consent `consent-MARKER`, as image
    /// `img-MARKER-INDEX`; returns the admission ids and the image ids.
    static func admitMarked(
        _ client: any TestClientProtocol, marker: String, photos: [String]
    ) async throws -> (admissionIDs: [String], imageIDs: [String]) {
        var admissionIDs: [String] = []
        var imageIDs: [String] = []
        for (index, photo) in photos.enumerated() {
            let imageID = "img-\(marker)-\(index)"
            let body = """
                {"image_id":"\(imageID)","source":"instagram","visibility":"public",
                "subject":{"id":"subject-\(marker)","account_country":"US"},
                "lawful_basis":{"basis":"consent","purposes":["model_training"],"given_at":"2026-01-01T00:00:00Z","consent_ref":"consent-\(marker)"},
                "image_base64":"\(Data(Bodies.image(photo)).base64EncodedString())"}
                """
            let admitted = try await client.postJSON("/v1/admissions", body)
            #expect(admitted.json["decision"] as? String == "admitted", "\(admitted.json)")
            admissionIDs.append(try #require(admitted.json["admission_id"] as? String))
            imageIDs.append(imageID)
        }
        return (admissionIDs, imageIDs)
    }

    /// Whether any file under `directory` contains `needle`.
    static func found(_ needle: [UInt8], in directory: URL) throws -> [String] {
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { file in
            guard (try file.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { return false }
            return try Data(contentsOf: file).range(of: Data(needle)) != nil
        }.map(\.lastPathComponent)
    }

    /// 48-byte pieces of a stored copy's compressed pixels, spread over them: a copy larger than
    /// a page is split across pages, but each piece that falls inside one page is stored as it
    /// is. Only what follows the JPEG start-of-scan marker: the headers before it (quantisation
    /// and Huffman tables) are the same in every copy the encoder writes, another subject's too.
    static func pieces(of copy: [UInt8]) -> [[UInt8]] {
        let scan = (0..<(copy.count - 1)).first { copy[$0] == 0xFF && copy[$0 + 1] == 0xDA } ?? 0
        let start = scan + 64
        return stride(from: start, to: copy.count - 48, by: max(48, (copy.count - start) / 24)).map { Array(copy[$0..<($0 + 48)]) }
    }

    @Test func nothingOfAnErasedSubjectIsLeftInAnyFile() async throws {
        let (traingate, directory) = try TestApp.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyring = SubjectKeyring(masterKey: SymmetricKey(data: try #require(Hex.decode(TestApp.masterKey))))
        let (needles, copies) = try await traingate.application.test(.router) { client in
            var needles: [Needle] = [("subject id", Array(Self.subjectID.utf8)), ("consent ref", Array(Self.consentRef.utf8))]
            var copies: [Copy] = []
            let (admissionIDs, imageIDs) = try await Self.admitMarked(client, marker: Self.marker, photos: Self.photos)
            needles += imageIDs.enumerated().map { ("image id \($0.offset)", Array($0.element.utf8)) }
            _ = try await ErasureAPITests.admit(client, "coffee.webp", imageID: "other", subject: "someone-else")
            let job = try await TrainingAPITests.submit(client, #"{"epochs": 1, "batch_size": 2, "embedding_dim": 8, "seed": 5}"#)
            #expect(
                try await TrainingAPITests.wait(client, job, until: TrainingAPITests.status("succeeded", "failed"))["status"] as? String
                    == "succeeded")

            // The stored copies, and the facts as sealed: what must be gone afterwards.
            let audit = AuditStore(database: try traingate.database)
            let entries = try await audit.entries(AuditQuery(kind: .decision)).filter { admissionIDs.contains($0.admissionID ?? "") }
            #expect(entries.count == Self.photos.count)
            for entry in entries {
                guard case .open(let facts) = try await audit.facts(of: entry, keyring: keyring) else {
                    Issue.record("the facts of entry \(entry.seq) do not open before the erasure")
                    continue
                }
                #expect(String(decoding: facts, as: UTF8.self).contains(Self.subjectID), "the facts name the subject")
                needles.append(("facts of entry \(entry.seq)", facts))
            }
            for (photo, id) in zip(Self.photos, admissionIDs) {
                let copy = try await traingate.database.writer.read { db in
                    try Data.fetchOne(
                        db, sql: "SELECT i.bytes FROM image i JOIN admission a ON a.image_sha256 = i.sha256 WHERE a.id = ?", arguments: [id])
                }
                copies.append((photo, Self.pieces(of: Array(try #require(copy)))))
            }

            // The search works: before the erasure it finds the image ids and every copy.
            try await traingate.database.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            #expect(try !Self.found(needles[2].bytes, in: directory).isEmpty, "the image id is stored before the erasure")
            for copy in copies {
                #expect(try copy.pieces.contains { try !Self.found($0, in: directory).isEmpty }, "\(copy.photo) is stored before the erasure")
            }

            let erasure = try await client.delete("/v1/subjects/\(Self.subjectID)?source=instagram")
            #expect((erasure.json["removed"] as? [String: Any])?["images"] as? Int == Self.photos.count, "\(erasure.json)")

            // With the server still running: the erasure emptied the log itself.
            try Self.expectNothingFound(needles: needles, copies: copies, in: directory)
            for entry in entries { #expect(try await audit.facts(of: entry, keyring: keyring) == .erased) }
            #expect(try await client.get("/v1/audit/verify", key: nil).json["ok"] as? Bool == true)
            return (needles, copies)
        }
        try traingate.database.close()
        try Self.expectNothingFound(needles: needles, copies: copies, in: directory)
    }

    typealias Needle = (what: String, bytes: [UInt8])
    typealias Copy = (photo: String, pieces: [[UInt8]])

    static func expectNothingFound(needles: [Needle], copies: [Copy], in directory: URL) throws {
        for needle in needles {
            #expect(try Self.found(needle.bytes, in: directory).isEmpty, "\(needle.what) is still in a file")
        }
        for copy in copies {
            for piece in copy.pieces {
                let files = try Self.found(piece, in: directory)
                #expect(files.isEmpty, "a piece of the stored copy of \(copy.photo) is still in \(files)")
            }
        }
    }
}
