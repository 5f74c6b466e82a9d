import Foundation
import GRDB
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import TraingateApp
import TraingateStore
import TraingateTesting

/// The real server on a real socket: bytes in, bytes out, and a graceful shutdown.
@Suite struct LiveServerTests {
    /// A key made by `traingate keys` (another connection, as the CLI's) works on the running
    /// server without a restart, and stops working once revoked.
    @Test func keysCreatedAndRevokedWhileRunningTakeEffect() async throws {
        try await LiveServer.run(
            { port, traingate, _ in
                let store = APIKeyStore(
                    database: try AppDatabase.open(directory: URL(fileURLWithPath: traingate.database.path).deletingLastPathComponent()))
                let created = try await store.create(name: "late", role: "auditor", expiresAt: nil, at: Date())
                let request = Array(
                    "GET /v1/audit/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(created.text)\r\nConnection: close\r\n\r\n".utf8)
                #expect(try await LiveServer.eventually { try await RawHTTP.exchange(port: port, request).hasPrefix("HTTP/1.1 200 ") })
                // Its use is written back (what `keys list` shows as LAST USED).
                #expect(try await LiveServer.eventually { try await store.all().first { $0.name == "late" }?.lastUsedAt != nil })
                _ = try await store.revoke(name: "late", at: Date())
                #expect(try await LiveServer.eventually { try await RawHTTP.exchange(port: port, request).hasPrefix("HTTP/1.1 401 ") })
            }, beforeStart: { directory in _ = try await TestKeys.create([("first", "admin")], in: directory) })
    }

    /// 200 connections sending a request head a byte a second never complete it: each is closed
    /// once it has been idle (no complete head) for the idle timeout, and a normal request made
    /// meanwhile is served.
    @Test func aSlowLorisIsCutOffWhileOthersAreServed() async throws {
        try await LiveServer.run(
            { port, _, _ in
                let loris = Task { try await SlowLoris.run(port: port, connections: 200, interval: .seconds(1), duration: .seconds(30)) }
                try await Task.sleep(for: .milliseconds(500))
                let normal = try await RawHTTP.exchange(
                    port: port, Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                #expect(normal.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(try await loris.value == 200)
            }, configure: { $0.idleTimeoutSeconds = 2 })
    }

    /// A client holding a half-sent body cannot hold up a stop: after the grace period the
    /// request is cut off and the service group ends (it used to wait forever). The client waits
    /// for the server without a timeout of its own, so without the deadline this test runs into
    /// its time limit.
    @Test(.timeLimit(.minutes(1))) func aHalfSentBodyDoesNotHoldUpShutdown() async throws {
        try await LiveServer.run(
            { port, _, shutdown in
                let head = "POST /v1/admissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
                let stuck = Task { try? await RawHTTP.exchange(port: port, Array(head.utf8), receiveTimeout: nil) }
                try await Task.sleep(for: .milliseconds(300))
                await shutdown()
                _ = await stuck.value
            },
            configure: {
                $0.shutdownGraceSeconds = 1
                $0.idleTimeoutSeconds = 3600  // the deadline, not the idle timeout, must end it
            })
    }

    /// With the cap on requests in hand reached (a client holding a half-sent body), another
    /// request is answered 503 with Retry-After at once, and the probes still answer.
    @Test func beyondTheInFlightCapRequestsAreTurnedAway() async throws {
        try await LiveServer.run(
            { port, traingate, _ in
                let head = "POST /v1/admissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
                let holder = Task { try? await RawHTTP.exchange(port: port, Array(head.utf8), receiveTimeout: nil) }
                defer { holder.cancel() }
                // Nothing else is sent until the held request is in hand: a request sent beside it
                // could take the one place first and have the holder turned away (on a loaded
                // machine it did, and the 503 kept the holder's connection open, so it never
                // came back).
                #expect(try await LiveServer.eventually { traingate.catalog.access.inFlight.inHand == 1 })
                let request = Array("GET /v1/policy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
                let busy = try await RawHTTP.exchange(port: port, request)
                #expect(busy.hasPrefix("HTTP/1.1 503 "))
                #expect(busy.contains("Retry-After: 1\r\n") && busy.contains("https://traingate.dev/problems/busy"))
                let probe = try await RawHTTP.exchange(port: port, Array("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                #expect(probe.hasPrefix("HTTP/1.1 200 "))
            },
            configure: {
                $0.maxRequestsInFlight = 1
                // The held request must stay in hand however slow the machine is; the stop at the
                // end cuts it off after a second.
                $0.idleTimeoutSeconds = 3600
                $0.shutdownGraceSeconds = 1
            })
    }

    @Test func rawHTTPAdmissionAndProblemResponses() async throws {
        try await LiveServer.run { port, _, _ in
            let created = try await RawHTTP.post(
                port: port, path: "/v1/admissions", contentType: "application/json", body: Bodies.admission())
            #expect(created.hasPrefix("HTTP/1.1 201 Created\r\n"))
            #expect(created.contains("\r\nLocation: /v1/admissions/adm_"))
            #expect(created.contains("\"decision\":\"admitted\""))

            let invalid = try await RawHTTP.post(port: port, path: "/v1/admissions", contentType: "application/json", body: "{\"nope\":1}")
            #expect(invalid.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(invalid.contains("Content-Type: application/problem+json"))
            #expect(invalid.contains("\"field\":\"nope\""))

            let wrongMethod = try await RawHTTP.exchange(
                port: port, Array("PUT /v1/policy HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            #expect(wrongMethod.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
            #expect(wrongMethod.contains("Allow: GET"))
        }
    }

    @Test func gracefulShutdownFinishesInFlightAdmissionsThenClosesTheDatabase() async throws {
        let acknowledged = AcknowledgedCounter()
        try await LiveServer.run { port, _, shutdown in
            try await withThrowingTaskGroup(of: Void.self) { requests in
                for index in 0..<60 {
                    requests.addTask {
                        // A connection refused or closed unanswered after shutdown began is fine;
                        // every answer that did come must be true.
                        let answer = try? await RawHTTP.post(
                            port: port, path: "/v1/admissions", contentType: "application/json",
                            body: Bodies.admission(imageID: "shutdown-\(index)"))
                        if let answer, answer.hasPrefix("HTTP/1.1 201") { acknowledged.add(answer) }
                    }
                }
                requests.addTask {
                    // Shut down while requests are in flight: after the tenth answer (or 10 s at most).
                    let deadline = ContinuousClock.now + .seconds(10)
                    while acknowledged.ids.count < 10 && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    await shutdown()
                }
                try await requests.waitForAll()
            }
            #expect(acknowledged.ids.count >= 10)
        } afterShutdown: { directory in
            let reopened = try AppDatabase.openReadOnly(directory: directory)
            let stored = try await reopened.writer.read { db in try String.fetchSet(db, sql: "SELECT id FROM admission") }
            #expect(acknowledged.ids.isSubset(of: stored))
            // The last act before the database closed was to anchor the final head.
            let audit = AuditStore(database: reopened)
            let head = try await reopened.writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_entry") }
            #expect(try audit.anchorFile.anchors().last?.seq == head)
            let verification = try await audit.verify()
            #expect(verification.ok && verification.anchorsChecked >= 1)
            let journal = try await reopened.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(journal == "wal")
        }
    }

    @Test func afterShutdownTheDatabaseIsClosed() async throws {
        let holder = Mutex<AppDatabase?>(nil)
        try await LiveServer.run { _, traingate, _ in
            let database = try traingate.database; holder.withLock { $0 = database }
        }
        let database = try #require(holder.withLock { $0 })
        await #expect(throws: (any Error).self) { try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") } }
    }
}
