import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraingateApp

@testable import BenchmarkRoutes

/// The baselines of bench/admissions, mounted on the real app as the bench server mounts them.
@Suite struct BenchmarkRoutesTests {
    @Test func theBenchmarkStagesAnswerWithoutRecordingAnything() async throws {
        try await BenchApp.withClient { client, _ in
            let noop = try await client.postJSON("/_bench/noop", "{\"a\":1}")
            #expect(noop.status == .ok)
            #expect(noop.json["bytes"] as? Int == 7)

            // The floor records each body as a decision of its own scratch database.
            for expectedSeq in [1, 2] {
                let floor = try await client.postJSON("/_bench/floor", "{\"a\":1}")
                #expect(floor.status == .ok)
                #expect(floor.json["seq"] as? Int == expectedSeq)
                #expect(floor.json["bytes"] as? Int == 7)
            }

            let body = #"{"image_id":"b-1","source":"instagram","visibility":"public","subject":{"id":"u1","account_country":"FR"}}"#
            let parsed = try await client.postJSON("/_bench/parse", body)
            #expect(parsed.status == .ok)
            #expect(parsed.json["image_id"] as? String == "b-1")
            // The same strict decoding as an admission: an unknown field is named.
            let unknown = try await client.postJSON("/_bench/parse", #"{"image_id":"b-1","colour":"red"}"#)
            #expect(unknown.status == .badRequest)
            #expect(String(buffer: unknown.body).contains("colour"))

            let decided = try await client.postJSON("/_bench/decide", body)
            #expect(decided.status == .ok)
            #expect(decided.json["decision"] as? String == "rejected")  // an EU resident
            #expect((decided.json["request_hash"] as? String)?.count == 64)
            // Nothing was recorded: the same image is new to the real route.
            let admitted = try await client.postJSON("/v1/admissions", body)
            #expect(admitted.status == .created)
            #expect((admitted.json["audit"] as? [String: Any])?["seq"] as? Int == 2)  // after the start-up policy entry
        }
    }

    /// Baselines are for operators only, and sit in the app's route table like its own routes.
    @Test func theBaselinesAreAdminRoutesOfTheApp() async throws {
        try await BenchApp.withClient { client, traingate in
            let baselines = traingate.accessMap.filter { $0.path.hasPrefix("/_bench/") }
            #expect(Set(baselines.map(\.path)) == ["/_bench/noop", "/_bench/floor", "/_bench/parse", "/_bench/decide"])
            #expect(baselines.allSatisfy { $0.method == "POST" && $0.roles == [.admin] })
            // A wrong method gets the app's own 405 with Allow, as problem+json.
            let wrong = try await client.execute(uri: "/_bench/noop", method: .get)
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "POST")
            #expect(wrong.headers[.contentType] == "application/problem+json")
        }
    }
}
