import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresTesting
import Testing
import TraingateTesting

@testable import TraingateApp

/// Each route's body cap, the metadata's own cap, the bound on multipart parts and the memory
/// budget: each answered with a problem naming the limit, nothing recorded.
@Suite struct BodyLimitTests {
    private static let multipartType = "multipart/form-data; boundary=b"

    /// A Content-Length over the route's cap is refused from the head alone: the client sends
    /// no body at all, and the answer comes anyway (reading it would wait for bytes that never come).
    @Test func anAnnouncedBodyOverTheCapIsRefusedBeforeReading() async throws {
        try await LiveServer.run { port, _, _ in
            for (method, path, length) in [
                ("POST", "/v1/admissions", 500_000_000), ("POST", "/v1/training/jobs", 70_000), ("GET", "/v1/audit/verify", 70_000),
            ] {
                let head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\n\r\n"
                let answer = try await RawHTTP.exchange(port: port, Array(head.utf8), receiveTimeout: 10, firstBytesOnly: true)
                #expect(answer.hasPrefix("HTTP/1.1 413 "), "\(path): \(answer.prefix(120))")
                #expect(answer.contains("takes at most"), "\(path)")
            }
        }
    }

    /// The JSON of an admission but its image, and a multipart `metadata` part, are held to
    /// `limits.max_metadata_bytes`, though the body as a whole may be as large as an image.
    @Test func metadataHasItsOwnCap() async throws {
        try await TestApp.withClient({ $0.maxMetadataBytes = 4096 }) { client, traingate in
            let padded = Bodies.admission(extra: String(repeating: " ", count: 5000))
            let json = try await client.postJSON("/v1/admissions", padded)
            #expect(json.status == .contentTooLarge)
            #expect((json.json["detail"] as? String)?.contains("limits.max_metadata_bytes") == true)
            let multipart = try await client.execute(
                uri: "/v1/admissions", method: .post, headers: [.contentType: Self.multipartType],
                body: Bodies.multipart(boundary: "b", [("metadata", Array(padded.utf8))]))
            #expect(multipart.status == .contentTooLarge)
            #expect((multipart.json["detail"] as? String)?.hasPrefix("The metadata part is") == true)
            // A 196 KB photo is far over 4 KiB and still fits: only the metadata is held to it,
            // as base64 and as a raw part (read by the multipart parser in several slices).
            let image = Data(Bodies.image("china.jpg")).base64EncodedString()
            let withImage = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "b64", extra: #","image_base64":"\#(image)""#))
            #expect(withImage.status == .created)
            let raw = try await client.execute(
                uri: "/v1/admissions", method: .post, headers: [.contentType: Self.multipartType],
                body: Bodies.multipart(
                    boundary: "b", [("metadata", Array(Bodies.admission(imageID: "raw").utf8)), ("image", Bodies.image("china.jpg"))]))
            #expect(raw.status == .created)
            let recorded = try await traingate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission")! }
            #expect(recorded == 2)
        }
    }

    /// More parts than `limits.max_multipart_parts` is 413, and a body of 200,000 empty parts
    /// is refused as soon as the parts are counted (the test checks the answer, not the time).
    @Test(arguments: StoreBackend.available) func multipartPartsAreBounded(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let nine = (0..<9).map { (name: "p\($0)", bytes: [UInt8]()) }
            let few = try await client.execute(
                uri: "/v1/admissions", method: .post, headers: [.contentType: Self.multipartType], body: Bodies.multipart(boundary: "b", nine))
            #expect(few.status == .contentTooLarge)
            #expect((few.json["detail"] as? String)?.contains("more than 8 parts") == true)
            let many = (0..<200_000).map { _ in (name: "p", bytes: [UInt8]()) }
            let flood = try await client.execute(
                uri: "/v1/admissions", method: .post, headers: [.contentType: Self.multipartType], body: Bodies.multipart(boundary: "b", many))
            #expect(flood.status == .contentTooLarge)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    /// Decoding reserves memory by the image's pixels: an image that could never fit the budget
    /// is 413 naming it; the same image fits a larger budget.
    @Test(arguments: StoreBackend.available) func decodingIsBoundedByTheMemoryBudget(_ backend: StoreBackend) async throws {
        let image = Data(Bodies.image("china.jpg")).base64EncodedString()  // 640 × 427: about 1.9 MB to decode
        let body = Bodies.admission(extra: #","image_base64":"\#(image)""#)
        try await TestApp.withClient(on: backend, { $0.memoryBudgetBytes = 1_500_000 }) { client, _ in
            let refused = try await client.postJSON("/v1/admissions", body)
            #expect(refused.status == .contentTooLarge)
            #expect((refused.json["detail"] as? String)?.contains("limits.memory_budget_bytes") == true)
        }
        try await TestApp.withClient(on: backend, { $0.memoryBudgetBytes = 4_000_000 }) { client, _ in
            let admitted = try await client.postJSON("/v1/admissions", body)
            #expect(admitted.status == .created)
        }
    }

    /// While one request holds part of the budget (a body half sent), another that does not fit
    /// beside it is turned away with 503 and Retry-After, and is served once the first is gone.
    @Test func aBudgetInUseTurnsRequestsAwayForNow() async throws {
        try await LiveServer.run(
            { port, traingate, _ in
                let head = "POST /v1/admissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 600000\r\n\r\n{"
                let holder = Task { try? await RawHTTP.exchange(port: port, Array(head.utf8), receiveTimeout: 60) }
                // The second request is sent only once the first holds its reservation.
                #expect(try await LiveServer.eventually { traingate.catalog.budget.inUse >= 600_000 })
                let body = Bodies.admission(extra: String(repeating: " ", count: 600_000 - Bodies.admission().utf8.count))
                let second =
                    "POST /v1/admissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 600000\r\nConnection: close\r\n\r\n"
                let answer = try await RawHTTP.exchange(port: port, Array((second + body).utf8), receiveTimeout: 10)
                #expect(answer.hasPrefix("HTTP/1.1 503 ") && answer.contains("Retry-After: 1\r\n") && answer.contains("in use by other requests"))
                holder.cancel()
            },
            configure: {
                $0.memoryBudgetBytes = 1_000_000
                $0.idleTimeoutSeconds = 3600
                $0.shutdownGraceSeconds = 1
            })
    }
}
