import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import TraingateApp
import TraingateTesting

/// One id per request, in the answer's header, a problem's body and the request's log lines.
@Suite struct RequestIDTests {
    @Test func aGivenIdIsKeptEverywhereAndABadOneReplaced() async throws {
        let logs = CapturedLogs()
        let directory = TestApp.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = AppConfiguration()
        configuration.dataDirectory = directory.path
        configuration.masterKeyHex = TestApp.masterKey
        let traingate = try buildApplication(configuration: configuration, logger: logs.logger)
        try await traingate.application.test(.router) { client in
            let given = "pipeline-42.7:a_b"
            let created = try await client.execute(
                uri: "/v1/admissions", method: .post,
                headers: [.contentType: "application/json", RequestIDMiddleware.incoming: given], body: ByteBuffer(string: Bodies.admission()))
            #expect(created.status == .created)
            #expect(created.headers[RequestIDMiddleware.outgoing] == given)
            #expect(logs.records.withLock { $0 }.contains { $0.message == "admission decided" && $0.requestID == given })

            let problem = try await client.execute(
                uri: "/v1/admissions", method: .post,
                headers: [.contentType: "application/json", RequestIDMiddleware.incoming: given], body: ByteBuffer(string: "{"))
            #expect(problem.status == .badRequest)
            #expect(problem.json["request_id"] as? String == given)

            for bad in ["has space", String(repeating: "x", count: 129), "semi;colon", ""] {
                let answer = try await client.execute(uri: "/healthz", method: .get, headers: [RequestIDMiddleware.incoming: bad])
                let id = try #require(answer.headers[RequestIDMiddleware.outgoing])
                #expect(id != bad && RequestIDMiddleware.isAcceptable(id), "\(bad)")
            }
            let first = try await client.execute(uri: "/healthz", method: .get)
            let second = try await client.execute(uri: "/healthz", method: .get)
            #expect(first.headers[RequestIDMiddleware.outgoing] != second.headers[RequestIDMiddleware.outgoing])
        }
    }
}
