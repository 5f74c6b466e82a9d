import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresTesting
import Testing
import TraingateStore
import TraingateTesting

@testable import TraingateApp

/// The front door: every route, every role, and no key.
@Suite struct AccessTests {
    /// A request to `path` (parameters filled with a made-up id) as `key`.
    private func call(_ client: any TestClientProtocol, _ method: String, _ path: String, key: String?) async throws -> TestResponse {
        let concrete = path.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: "x1", options: .regularExpression)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        let body = method == "POST" ? ByteBuffer(string: "{}") : nil
        return try await client.execute(uri: concrete, method: HTTPRequest.Method(method)!, headers: headers, body: body)
    }

    /// Each route × each role × no key: probes open; no key is 401 with a Bearer challenge;
    /// a role the route names (or admin, or dpo where auditor is named) gets past the door;
    /// any other role is 403. Both refusals are problem+json.
    @Test(arguments: StoreBackend.available) func everyRouteEveryRoleAndNoKey(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend) { client, traingate, keys in
            let roles = APIRole.allCases.filter { $0 != .anyone }
            #expect(traingate.accessMap.count >= 17)
            for route in traingate.accessMap {
                let anonymous = try await call(client, route.method, route.path, key: nil)
                if route.roles == [.anyone] {
                    #expect(anonymous.status == .ok, "\(route.method) \(route.path)")
                    continue
                }
                #expect(anonymous.status == .unauthorized, "\(route.method) \(route.path) without a key")
                #expect(anonymous.headers[.wwwAuthenticate] == #"Bearer realm="traingate""#)
                #expect(anonymous.headers[.contentType] == "application/problem+json")
                for role in roles {
                    let response = try await call(client, route.method, route.path, key: keys[role.rawValue])
                    let allowed = role == .admin || route.roles.contains(role) || (role == .dpo && route.roles.contains(.auditor))
                    if allowed {
                        #expect(![.unauthorized, .forbidden].contains(response.status), "\(role) on \(route.method) \(route.path)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) on \(route.method) \(route.path)")
                        #expect(response.headers[.contentType] == "application/problem+json")
                        #expect(response.json["type"] as? String == "https://traingate.dev/problems/forbidden")
                    }
                }
            }
        }
    }

    /// No key, a made-up key, a malformed one, a revoked one and an expired one all get the very
    /// same answer: the door never says whether a key exists.
    @Test func everyRefusedKeyGetsTheSameAnswer() async throws {
        let directory = TestApp.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let live = try await TestKeys.create([("live", "auditor"), ("revoked", "auditor")], in: directory)
        let expired = try await TestKeys.create([("expired", "auditor")], in: directory, expiresAt: Date(timeIntervalSinceNow: 1))
        let database = try AppDatabase.open(directory: directory)
        _ = try await APIKeyStore(database: database).revoke(name: "revoked", at: Date())
        try database.close()
        let traingate = try TestApp.build(directory: directory, now: { Date(timeIntervalSinceNow: 5) })
        try await traingate.application.test(.router) { client in
            let madeUp = "tg_0123456789abcdef_" + String(repeating: "0", count: 64)
            var answers: [String] = []
            for key in [nil, madeUp, "tg_short", "Basic dXNlcjpwYXNz", live["revoked"], expired["expired"]] {
                let response = try await client.get("/v1/audit", key: key)
                #expect(response.status == .unauthorized, "\(key ?? "no key")")
                var body = response.json
                #expect(body.removeValue(forKey: "request_id") != nil)  // each request's own
                answers.append("\(body.sorted { $0.key < $1.key })")
            }
            #expect(Set(answers).count == 1, "\(answers)")
            #expect(try await client.get("/v1/audit", key: live["live"]).status == .ok)
        }
    }

    /// A decision names the key that asked for it, in its audit entry; a submitter reads its own
    /// decisions only, an auditor every one.
    @Test func decisionsNameTheirKeyAndSubmittersReadTheirOwn() async throws {
        let directory = TestApp.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = try await TestKeys.create([("pipeline-a", "submitter"), ("pipeline-b", "submitter"), ("dpo-1", "dpo")], in: directory)
        let traingate = try TestApp.build(directory: directory)
        try await traingate.application.test(.router) { client in
            let created = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "keyed-1"), key: keys["pipeline-a"])
            #expect(created.status == .created)
            let id = try #require(created.json["admission_id"] as? String)
            #expect(try await client.get("/v1/admissions/\(id)", key: keys["pipeline-a"]).status == .ok)
            #expect(try await client.get("/v1/admissions/\(id)", key: keys["pipeline-b"]).status == .notFound)
            #expect(try await client.get("/v1/admissions/\(id)", key: keys["dpo-1"]).status == .ok)

            let page = try await client.get("/v1/audit?kind=decision", key: keys["dpo-1"])
            let entries = try #require(page.json["entries"] as? [[String: Any]])
            #expect((entries.last?["details"] as? [String: Any])?["api_key"] as? String == "pipeline-a")
            let keyEvents = try #require(try await client.get("/v1/audit?kind=api_key", key: keys["dpo-1"]).json["entries"] as? [[String: Any]])
            #expect(keyEvents.compactMap { ($0["details"] as? [String: Any])?["name"] as? String } == ["pipeline-a", "pipeline-b", "dpo-1"])
            #expect(keyEvents.allSatisfy { ($0["details"] as? [String: Any])?["event"] as? String == "created" })
        }
        let rows = try DatabaseQueue(path: directory.appendingPathComponent(AppDatabase.fileName).path)
        #expect(try await rows.read { db in try String.fetchAll(db, sql: "SELECT api_key FROM admission") } == ["pipeline-a"])
    }

    /// With no key ever created the server is open, but only on loopback: asked to listen on
    /// another address it refuses to start and says how to create a key.
    @Test func developmentModeIsOpenOnLoopbackOnly() async throws {
        try await TestApp.withClient { client, traingate in
            #expect(traingate.accessStatement.hasPrefix("development mode"))
            let open = try await client.get("/v1/audit", key: nil)
            #expect(open.status == .ok)
        }
        let refused = #expect(throws: DevelopmentMode.ReachableWithoutKeys.self) { try TestApp.make { $0.host = "0.0.0.0" } }
        #expect(refused?.description.contains("traingate keys create") == true)

        let directory = TestApp.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await TestKeys.create([("ops", "admin")], in: directory)
        let keyed = try TestApp.build(directory: directory) { $0.host = "0.0.0.0" }
        #expect(keyed.accessStatement.hasPrefix("API keys required"))
    }

    /// `/metrics` opened to a local scraper stays closed to everyone else (the router client has
    /// no peer address, so it counts as remote).
    @Test(arguments: StoreBackend.available) func metricsOpenOnLoopbackStillNeedAKeyFromElsewhere(_ backend: StoreBackend) async throws {
        try await TestApp.withKeys(on: backend, { $0.metricsOpenOnLoopback = true }) { client, _, keys in
            let anonymous = try await client.get("/metrics", key: nil)
            #expect(anonymous.status == .unauthorized)
            let keyed = try await client.get("/metrics", key: keys["trainer"])
            #expect(keyed.status == .ok)
        }
        #expect(AccessControl.isLoopback(try SocketAddress(ipAddress: "127.0.0.1", port: 1)))
        #expect(AccessControl.isLoopback(try SocketAddress(ipAddress: "::1", port: 1)))
        #expect(!AccessControl.isLoopback(try SocketAddress(ipAddress: "10.1.2.3", port: 1)))
        #expect(!AccessControl.isLoopback(nil))
    }
}
