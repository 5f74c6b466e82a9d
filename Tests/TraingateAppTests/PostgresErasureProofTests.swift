import Crypto
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresTesting
import StrictDocuments
import Testing
import TraingatePostgres
import TraingateStore
import TraingateTesting

@testable import TraingateApp

/// The erasure proof on PostgreSQL (issue 19, item 1), whose files keep a deleted row until its
/// space is reused: the cluster's data directory (the database's files and the WAL) is searched
/// byte for byte. Nothing of the subject is ever there in the clear: not its id, its consent
/// reference, its image ids or any piece of its stored copies, before the erasure or after. What
/// is there, sealed, opens only with the subject's key, wrapped under its bucket's key: the
/// search finds that bucket key's stored bytes before the erasure (so it sees the files) and in
/// no file after it. Another subject of the same bucket keeps everything.
@Suite(.enabled(if: PostgresTestDatabase.enabled)) struct PostgresErasureProofTests {
    static let marker = "P4gV8m2Q"
    static let subjectID = "subject-\(marker)"
    static let consentRef = "consent-\(marker)"
    static let photos = ErasureProofTests.photos

    @Test func nothingOfASubjectReachesTheFilesInTheClearAndErasureTakesTheKeyToWhatLingers() async throws {
        let cluster = try #require(PostgresTestDatabase.dataDirectory, "TRAINGATE_TEST_POSTGRES_DIR is not set")
        try await TestApp.withClient(on: .postgres) { client, traingate in
            let store = try #require(traingate.postgresStore)
            let master = SymmetricKey(data: try #require(Hex.decode(TestApp.masterKey)))
            let pseudonyms = PseudonymKey(try await PostgresKeyEnvelope.pseudonymKey(master: master, in: store))
            let bucket = PostgresSubjectKeys.bucket(
                of: ByteBuffer(bytes: try #require(Hex.decode(pseudonyms.pseudonym(source: "instagram", subjectID: Self.subjectID)))))
            // A subject whose key is in the same bucket: its key is wrapped again by the erasure.
            let peer = try #require(
                (0..<200_000).lazy.map { "peer-\($0)" }.first { id in
                    PostgresSubjectKeys.bucket(of: ByteBuffer(bytes: Hex.decode(pseudonyms.pseudonym(source: "instagram", subjectID: id))!)) == bucket
                })

            var needles: [(what: String, bytes: [UInt8])] = [
                ("subject id", Array(Self.subjectID.utf8)), ("consent ref", Array(Self.consentRef.utf8)),
            ]
            let (admissionIDs, imageIDs) = try await ErasureProofTests.admitMarked(client, marker: Self.marker, photos: Self.photos)
            needles += imageIDs.enumerated().map { ("image id \($0.offset)", Array($0.element.utf8)) }
            let peerAdmission = try await ErasureAPITests.admit(client, "coffee.webp", imageID: "peer-image-\(Self.marker)", subject: peer)
            let peerCopy = try await client.get("/v1/training/images/\(peerAdmission)", key: nil)
            #expect(peerCopy.status == .ok)

            // The stored copies as the API serves them, and as PostgreSQL holds them (sealed).
            var copies: [(photo: String, pieces: [[UInt8]])] = []
            for (photo, id) in zip(Self.photos, admissionIDs) {
                let copy = try await client.get("/v1/training/images/\(id)", key: nil)
                #expect(copy.status == .ok)
                copies.append((photo, ErasureProofTests.pieces(of: Array(buffer: copy.body))))
            }
            let sealedCopy = try #require(
                try await traingate.texts(
                    "SELECT encode(i.bytes, 'hex') FROM image i JOIN admission a ON a.image_sha256 = i.sha256 WHERE a.id = '\(admissionIDs[0])'"
                ).first.flatMap(Hex.decode))
            let bucketKey = try #require(
                try await traingate.texts("SELECT encode(wrapped, 'hex') FROM key_bucket WHERE bucket = \(bucket)").first.flatMap(Hex.decode))
            // The database's own files, the cluster's shared ones and the WAL (the other tests'
            // databases beside it hold nothing of this one's).
            let database = try #require(try await traingate.texts("SELECT oid::text FROM pg_database WHERE datname = current_database()").first)
            let directories = ["base/\(database)", "global", "pg_wal"].map { cluster.appendingPathComponent($0) }
            let files = Self.files(of: directories)

            // The search sees the files: it finds the bucket key and the sealed copy.
            #expect(try !Self.found(bucketKey, in: files).isEmpty, "the bucket key is stored before the erasure")
            #expect(try !Self.found(Array(sealedCopy[2000..<2048]), in: files).isEmpty, "the sealed copy is stored before the erasure")
            Self.expectNothingInTheClear(needles: needles, copies: copies, in: files)

            // Statistics sample column values into pg_statistic, which no rewrite of key_bucket
            // reaches: with a few more buckets, the bucket key would be among them.
            for other in 0..<6 {
                let body = """
                    {"image_id":"o-\(other)","source":"instagram","visibility":"public",
                    "subject":{"id":"other-\(other)","account_country":"US"}}
                    """
                #expect(try await client.postJSON("/v1/admissions", body).status == .created)
            }
            _ = try await traingate.texts("ANALYZE key_bucket")
            _ = try await traingate.texts("ANALYZE subject_key")
            let erasure = try await client.delete("/v1/subjects/\(Self.subjectID)?source=instagram")
            #expect((erasure.json["removed"] as? [String: Any])?["images"] as? Int == Self.photos.count, "\(erasure.json)")
            #expect(erasure.json["nothing_left"] as? Bool == false)

            let after = Self.files(of: directories)
            #expect(Self.found(bucketKey, in: after).isEmpty, "the replaced bucket key is still in \(Self.found(bucketKey, in: after))")
            Self.expectNothingInTheClear(needles: needles, copies: copies, in: after)
            let rotated = try await traingate.texts("SELECT encode(wrapped, 'hex') FROM key_bucket WHERE bucket = \(bucket)").first
            #expect(rotated != nil && rotated != Hex.encode(bucketKey))

            // The peer, whose key was wrapped again, keeps its image id, copy and facts.
            let peerRow = try await client.get("/v1/admissions/\(peerAdmission)", key: nil).json
            #expect(peerRow["image_id"] as? String == "peer-image-\(Self.marker)", "\(peerRow)")
            let peerCopyAfter = try await client.get("/v1/training/images/\(peerAdmission)", key: nil)
            #expect(peerCopyAfter.status == .ok && peerCopyAfter.body == peerCopy.body)
            let report = try await client.get("/v1/subjects/\(peer)?source=instagram", key: nil).json
            let admissions = report["admissions"] as? [[String: Any]] ?? []
            #expect(admissions.count == 1 && admissions.first?["facts"] is [String: Any], "\(report)")
            // The erased decisions keep what proves the gate worked, and the chain verifies.
            #expect(try await client.get("/v1/admissions/\(admissionIDs[0])", key: nil).json["image_id"] as? String == "erased:\(admissionIDs[0])")
            #expect(try await client.get("/v1/audit/verify", key: nil).json["ok"] as? Bool == true)
        }
    }

    /// Every regular file under `directories`, read once. A file the server removes while the
    /// search runs (a WAL segment) is passed over: what it held is gone.
    static func files(of directories: [URL]) -> [(name: String, bytes: Data)] {
        directories.flatMap { directory in
            let urls = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            return urls.compactMap { url -> (name: String, bytes: Data)? in
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true, let bytes = try? Data(contentsOf: url)
                else { return nil }
                return (directory.lastPathComponent + "/" + url.lastPathComponent, bytes)
            }
        }
    }

    /// The files that hold `needle`, found with C's `memchr` and `memcmp`: the WAL of a whole
    /// test run is hundreds of megabytes, searched for each of some eighty needles.
    static func found(_ needle: [UInt8], in files: [(name: String, bytes: Data)]) -> [String] {
        files.filter { file in file.bytes.withUnsafeBytes { haystack in needle.withUnsafeBytes { contains(haystack, $0) } } }.map(\.name)
    }

    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        guard let start = haystack.baseAddress, let wanted = needle.baseAddress, needle.count > 0, needle.count <= haystack.count
        else { return false }
        let last = haystack.count - needle.count
        var offset = 0
        while offset <= last {
            guard let hit = memchr(start + offset, Int32(needle[0]), last - offset + 1) else { return false }
            if memcmp(hit, wanted, needle.count) == 0 { return true }
            offset = UnsafeRawPointer(hit) - start + 1
        }
        return false
    }

    static func expectNothingInTheClear(
        needles: [(what: String, bytes: [UInt8])], copies: [(photo: String, pieces: [[UInt8]])], in files: [(name: String, bytes: Data)]
    ) {
        for needle in needles {
            let holding = found(needle.bytes, in: files)
            #expect(holding.isEmpty, "\(needle.what) is in \(holding)")
        }
        for copy in copies {
            for piece in copy.pieces {
                let holding = found(piece, in: files)
                #expect(holding.isEmpty, "a piece of the stored copy of \(copy.photo) is in \(holding)")
            }
        }
    }
}
