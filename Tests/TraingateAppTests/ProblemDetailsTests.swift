import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresTesting
import Testing
@testable import TraingateApp
@testable import TraingateStore
import TestFixtures
import TraingateTesting

@Suite struct ProblemDetailsTests {
    private func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let body = response.json
        #expect(body["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect((body["type"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((body["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((body["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test(arguments: StoreBackend.available) func validationErrorsNameEveryField(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let response = try await client.postJSON(
                "/v1/admissions", #"{"image_id":"a","subject":{"id":"u","account_country":"UK","age":-1},"visibilty":"public"}"#)
            expectProblem(response, .badRequest)
            let fields = (response.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(Set(fields ?? []) == ["visibilty", "visibility", "subject.account_country", "subject.age"])
        }
    }

    @Test(arguments: StoreBackend.available) func hostileShapesAreBoundedProblemsAndTheServerKeepsServing(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            expectProblem(try await client.postJSON("/v1/admissions", deep), .badRequest)
            let manyKeys = "{" + (0..<5000).map { "\"k\($0)\": 1" }.joined(separator: ",") + "}"
            let response = try await client.postJSON("/v1/admissions", manyKeys)
            expectProblem(response, .badRequest)
            #expect((response.json["errors"] as? [Any])?.count == ProblemDetails.maxListedErrors)
            #expect((response.json["detail"] as? String)?.hasPrefix("5003 fields are invalid (the first 100 are listed)") == true)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test(arguments: StoreBackend.available) func malformedJSONIs400(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            expectProblem(try await client.postJSON("/v1/admissions", #"{"image_id": "#), .badRequest)
            expectProblem(try await client.postJSON("/v1/admissions", "[1, 2]"), .badRequest)
        }
    }

    /// Bodies are read strictly (D4): a repeated member, an integer written as a float or
    /// rounded on the way in, a trailing comma, UTF-16 and a body of millions of values are each
    /// 400, saying what is wrong (never the parser's internals), and nothing is recorded.
    @Test func bodiesAreReadStrictly() async throws {
        try await TestApp.withClient { client, traingate in
            let cases: [(body: [UInt8], field: String?, detail: String)] = [
                (Array(Bodies.admission(visibility: "private", extra: #","visibility":"public""#).utf8), "visibility", "appears more than once"),
                (
                    Array(#"{"image_id":"a","subject":{"id":"u","account_country":"US","age":18.0},"visibility":"public"}"#.utf8), "subject.age",
                    "without a fraction"
                ),
                (
                    Array(#"{"image_id":"a","subject":{"id":"u","account_country":"US","age":17.9999999999999999},"visibility":"public"}"#.utf8),
                    "subject.age", "would become 18.0"
                ),
                (
                    Array(#"{"image_id":"a","subject":{"id":"u","account_country":"US","age":1e-400},"visibility":"public"}"#.utf8), "subject.age",
                    "would become 0"
                ),
                (
                    Array(#"{"image_id":"a","subject":{"id":"u","account_country":"US","age":-0},"visibility":"public"}"#.utf8), "subject.age",
                    "write 0"
                ),
                (Array(Bodies.admission(extra: ",").utf8), nil, "no trailing commas"),
                (Array(Bodies.admission().utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, nil, "not UTF-8"),
                (
                    Array(#"{"image_id":"a","special_categories":[\#(Array(repeating: "\"health\"", count: 200_000).joined(separator: ","))]}"#.utf8),
                    nil, "more than 10000 values"
                ),
            ]
            for (body, field, detail) in cases {
                let response = try await client.execute(
                    uri: "/v1/admissions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body))
                expectProblem(response, .badRequest)
                let text = (response.json["detail"] as? String) ?? ""
                #expect(text.contains(detail), "\(text)")
                #expect(!text.contains("Swift") && !text.contains("NSCocoa"), "\(text)")
                if let field {
                    #expect((response.json["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(detail)")
                }
            }
            let recorded = try await traingate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission")! }
            #expect(recorded == 0)
        }
    }

    @Test(arguments: StoreBackend.available) func unknownPathsAre404AndWrongMethods405WithAllow(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            expectProblem(try await client.execute(uri: "/v1/nothing-here", method: .get), .notFound)
            expectProblem(try await client.execute(uri: "/v1/admissions/adm_missing", method: .get), .notFound)
            let wrong = try await client.execute(uri: "/v1/admissions", method: .get)
            expectProblem(wrong, .methodNotAllowed)
            #expect(wrong.headers[.allow] == "POST")
            let wrongParameterised = try await client.execute(uri: "/v1/admissions/adm_1", method: .delete)
            #expect(wrongParameterised.headers[.allow] == "GET")
            let batch = try await client.execute(uri: "/v1/admissions/batch", method: .get)
            expectProblem(batch, .methodNotAllowed)
            #expect(batch.headers[.allow] == "POST")
        }
    }

    /// A literal route beside a parameterised one wins whatever the method: a POST to
    /// `/v1/admissions/recheck` reaches the recheck instead of answering 405 "use GET" for
    /// `/v1/admissions/{admission_id}`, and a GET there is 405 naming POST, not a lookup of an
    /// admission called "recheck".
    @Test(arguments: StoreBackend.available) func literalRoutesWinOverParameters(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let posted = try await client.postJSON("/v1/admissions/recheck", #"{"admission_ids":["adm_1"]}"#)
            #expect(posted.status == .ok)
            #expect((posted.json["results"] as? [[String: Any]])?.first?["reason"] as? String == "not_found")
            let got = try await client.execute(uri: "/v1/admissions/recheck", method: .get)
            expectProblem(got, .methodNotAllowed)
            #expect(got.headers[.allow] == "POST")
            #expect(try await client.execute(uri: "/v1/admissions/adm_1", method: .get).status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.available) func unsupportedMediaTypesAre415(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            expectProblem(
                try await client.execute(
                    uri: "/v1/admissions", method: .post, headers: [.contentType: "text/plain"],
                    body: ByteBuffer(string: Bodies.admission())), .unsupportedMediaType)
            let notAnImage = Data("GIF89a-not-accepted".utf8).base64EncodedString()
            let response = try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(notAnImage)""#))
            expectProblem(response, .unsupportedMediaType)
            #expect((response.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "image_base64")
        }
    }

    @Test func imagesOverTheCapAre413AndNothingIsRecorded() async throws {
        try await TestApp.withClient({ $0.maxImageBytes = 16 * 1024 }) { client, traingate in
            let big = Data(Bodies.jpeg + Array(repeating: 0, count: 8000)).base64EncodedString()
            let response = try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(big)""#))
            expectProblem(response, .contentTooLarge)
            #expect((response.json["detail"] as? String)?.contains("16384") == true)
            let small = Data(Bodies.jpeg).base64EncodedString()
            #expect(try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(small)""#)).status == .created)
            let admissions = try await traingate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM admission")! }
            #expect(admissions == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func bodiesOverTheCapAre413(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend, { $0.maxImageBytes = 1024 }) { client, _ in
            let padding = String(repeating: " ", count: 2 * 1024 * 1024)
            expectProblem(try await client.postJSON("/v1/admissions", padding + Bodies.admission()), .contentTooLarge)
        }
    }

    @Test func aStorageFailureIs503AndAdmitsNothing() async throws {
        try await TestApp.withClient { client, traingate in
            try await traingate.database.writer.write { db in
                try db.execute(sql: "CREATE TRIGGER fail BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'disk full'); END")
            }
            let image = Data(Bodies.jpeg).base64EncodedString()
            let response = try await client.postJSON("/v1/admissions", Bodies.admission(extra: #","image_base64":"\#(image)""#))
            expectProblem(response, .serviceUnavailable)
            let counts = try await traingate.database.writer.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM admission")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM queue_item")!,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM image")!
                )
            }
            #expect(counts == (0, 0, 0))
        }
    }

    @Test func aRowChangedOutsideTraingateIsA500NotAnEmptiedDecision() async throws {
        try await TestApp.withClient { client, traingate in
            let created = try await client.postJSON("/v1/admissions", Bodies.admission(country: "FR"))
            let id = try #require(created.json["admission_id"] as? String)
            try await traingate.database.writer.write { db in
                try db.execute(sql: "UPDATE admission SET reasons = 'not json' WHERE id = ?", arguments: [id])
            }
            let response = try await client.execute(uri: "/v1/admissions/\(id)", method: .get)
            expectProblem(response, .internalServerError)
        }
    }

    /// A body nested a hundred thousand levels deep is refused before it is parsed, and the
    /// server goes on serving.
    @Test(arguments: StoreBackend.available) func deeplyNestedBodiesAreRefusedBeforeParsing(_ backend: StoreBackend) async throws {
        try await TestApp.withClient(on: backend) { client, _ in
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let response = try await client.postJSON("/v1/admissions", deep)
            expectProblem(response, .badRequest)
            #expect((response.json["detail"] as? String)?.contains("deeper than 64 levels") == true)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test func unexpectedErrorsAre500ProblemsWithoutInternals() async throws {
        struct Boom: Error {}
        let directory = TestApp.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = KeyCache(store: APIKeyStore(database: try AppDatabase.open(directory: directory)), keys: [])
        let catalog = RouteCatalog(
            access: AccessControl(
                keys: keys, metricsOpenOnLoopback: false, rateLimiter: RateLimiter(rate: 0, burst: 1), inFlight: InFlightLimit(maximum: 8),
                now: Date.init))
        let router = Router(context: TraingateRequestContext.self)
        router.add(middleware: ProblemDetailsMiddleware(catalog: catalog, limits: nil))
        router.route(.get, "/boom", in: catalog, allowing: [.anyone]) { _, _ in throw Boom() }
        let app = Application(router: router, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/boom", method: .get)
            expectProblem(response, .internalServerError)
            #expect(String(buffer: response.body).contains("Boom") == false)
        }
    }
}

/// docs/errors.md, which ProblemKind cites, lists every problem type the server can answer with.
@Suite struct ErrorCatalogueTests {
    @Test func everyProblemTypeIsDocumented() throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("docs/errors.md"), encoding: .utf8)
        let kinds: [ProblemKind] = [
            .validation, .malformedBody, .notFound, .conflict, .methodNotAllowed, .payloadTooLarge, .unsupportedMediaType,
            .undecodableImage, .storageUnavailable, .notReady, .internalError,
        ]
        for kind in kinds {
            #expect(text.contains("| `\(kind.typeURI)` | \(kind.status.code) |"), "\(kind.typeURI) is not in docs/errors.md")
        }
    }

    /// One mapping for every caller: a record that cannot be read is a 500 wherever it surfaces
    /// (a batch line mapped every storage error to 503 before), a failed write a 503.
    @Test func storageErrorsMapTheSameForRequestsAndBatchLines() {
        let logger = Logger(label: "test")
        let corrupt = StoreError.corruptRecord("row 7 does not decode")
        #expect(ProblemMapping.problem(for: corrupt, logger: logger).status == .internalServerError)
        #expect(ProblemMapping.problem(for: corrupt, what: "this line", logger: logger).status == .internalServerError)
        let failed = ProblemMapping.problem(for: StoreError.unavailable, what: "this line", logger: logger)
        #expect(failed.status == .serviceUnavailable && failed.detail == "The database could not record this line; retry later.")
        #expect(ProblemMapping.problem(for: CancellationError(), logger: logger).status == .internalServerError)
    }
}
