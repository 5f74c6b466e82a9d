import Foundation
import GRDB
import HummingbirdTesting
import Testing
import TestFixtures
import TraingateApp
import TraingateCommands
import TraingateStore
import TraingateTesting

/// The `traingate` executable itself, as an operator runs it (built next to the test bundle).
@Suite struct CommandLineTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.run(TraingateExecutable.url, arguments)
    }

    /// A data directory as a server leaves it: the policy in force, then three decisions.
    private func dataDirectoryWithThreeDecisions() async throws -> URL {
        let (traingate, directory) = try TestApp.make()
        try await traingate.application.test(.router) { client in
            for index in 0..<3 { try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "cli-\(index)")) }
        }
        return directory
    }

    @Test func policyTestPassesTheShippedCasesAndFailsWithADiff() throws {
        let shipped = try run(["policy", "test", Repository.path("config/policies/default.tests.yaml")])
        #expect(shipped.status == 0)
        #expect(shipped.output.contains("0 failed"))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cli-cases-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        cases:
          - name: an EU subject without consent
            now: 2026-11-28T12:00:00Z
            input: {image_id: a, subject: {id: u, account_country: "DE"}, visibility: public}
            expect: {decision: admitted}
        """.write(to: file, atomically: true, encoding: .utf8)
        let failing = try run(["policy", "test", file.path])
        #expect(failing.status == 1)
        #expect(failing.output.contains("FAIL an EU subject without consent"))
        #expect(failing.output.contains("decision: expected admitted, got rejected"))
    }

    /// Starts `traingate serve` on a free port and returns once it says it listens, with what
    /// it printed on stdout until then. The caller stops it.
    /// - Parameter fileLimit: the open-file limit to run it under (`ulimit -n`), if any.
    private func startServe(
        _ arguments: [String], environment: [String: String] = [:], standardError: FileHandle? = nil, fileLimit: Int? = nil
    ) throws -> (process: Process, stdout: String) {
        let process = Process()
        process.executableURL = TraingateExecutable.url
        process.arguments = ["serve", "--port", "0"] + arguments
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", TraingateExecutable.url.path] + process.arguments!
        }
        process.environment = ["TRAINGATE_MASTER_KEY": String(repeating: "7f", count: 32), "TRAINGATE_LOG_LEVEL": "error"]
            .merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        if let standardError { process.standardError = standardError }
        try process.run()
        var text = ""
        while !text.contains("listening"), process.isRunning || !text.isEmpty {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return (process, text)
    }

    /// `serve` states who runs the gate before it listens: an operator must see at once whether
    /// every subject needs a basis.
    @Test func serveStatesTheOperatorsEstablishment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, text) = try startServe(["--data-dir", directory.path, "--established-in", "EU,UK"])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        #expect(text.contains("operator established in EU, UK (controller.established_in): every subject needs a lawful basis"))
        #expect(text.contains("traingate listening on http://127.0.0.1:"))
    }

    /// D2, literally: under `ulimit -n 256`, 250 connections that send nothing take every
    /// connection slot, and `curl -m5 /healthz` is still answered: the slot of the connection
    /// idle longest is freed for it. Nothing about SQLite is logged (it used to report "error 14"
    /// once descriptors ran out).
    @Test func idleConnectionsAtTheFileLimitDoNotLockOutRequests() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-nofile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let logFile = directory.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let (process, text) = try startServe(
            ["--data-dir", directory.appendingPathComponent("data").path], environment: ["TRAINGATE_LOG_LEVEL": "warning"],
            standardError: try FileHandle(forWritingTo: logFile), fileLimit: 256)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let port = try #require(text.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) })
        let idle = try IdleSockets(port: port, count: 250)
        defer { idle.closeAll() }
        Thread.sleep(forTimeInterval: 1)  // let the server accept what it will
        let curl = try Subprocess.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-sS", "-m5", "http://127.0.0.1:\(port)/healthz"])
        #expect(curl.output == #"{"status":"ok"}"#, "\(curl.output)")
        let log = try String(contentsOf: logFile, encoding: .utf8)
        #expect(log.contains("http.max_connections lowered to fit the open-file limit"))
        #expect(!log.contains("SQLite"), "\(log)")
    }

    /// One server per data directory: a second `serve` (or a key rotation) on a directory in
    /// use is refused at once, naming the lock, before it opens anything.
    @Test func oneServerPerDataDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let held = try DataDirectoryLock(directory: directory)
        let second = try run(["serve", "--port", "0", "--data-dir", directory.path])
        #expect(second.status != 0)
        #expect(second.output.contains("traingate.lock; stop it first"), "\(second.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("traingate.sqlite").path))
        withExtendedLifetime(held) {}
    }

    /// `log.format: json`: every line on stderr is one JSON object with the time, level, label,
    /// message and metadata, for a log shipper.
    @Test func logsCanBeJSONLines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let logFile = directory.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let (process, _) = try startServe(
            ["--data-dir", directory.appendingPathComponent("data").path],
            environment: ["TRAINGATE_LOG_FORMAT": "json", "TRAINGATE_LOG_LEVEL": "info"],
            standardError: try FileHandle(forWritingTo: logFile))
        process.terminate()
        process.waitUntilExit()
        let lines = try String(contentsOf: logFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
        let events = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)") }
        #expect(events.allSatisfy { $0["at"] is String && $0["level"] is String && $0["label"] is String && $0["message"] is String })
        let configured = try #require(events.first { $0["message"] as? String == "traingate configured" })
        #expect((configured["metadata"] as? [String: Any])?["policy.id"] as? String == "default")
    }

    @Test func theVersionFlagAndCommandAgree() throws {
        let flag = try run(["--version"])
        #expect(flag.status == 0)
        #expect(flag.output.trimmingCharacters(in: .whitespacesAndNewlines) == TraingateCommand.version)
        let command = try run(["version"])
        #expect(command.output.hasPrefix("traingate \(TraingateCommand.version)\n"))
    }

    /// A configuration that cannot be read stops `serve` before it opens anything, with a usage
    /// error (exit 64) naming the file.
    @Test func serveRefusesAnUnreadableConfiguration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-refused-\(UUID().uuidString)")
        let result = try run(["serve", "--config", "/nonexistent/traingate.yaml", "--data-dir", directory.path])
        #expect(result.status == 64)
        #expect(result.output.contains("/nonexistent/traingate.yaml"))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func versionNamesTheEmbeddedPolicy() throws {
        let result = try run(["version"])
        #expect(result.status == 0)
        #expect(result.output.contains("sha256:"))
    }

    @Test func auditVerifyExitsZeroWhenIntactAndOneWhenTampered() async throws {
        let directory = try await dataDirectoryWithThreeDecisions()
        defer { try? FileManager.default.removeItem(at: directory) }
        let intact = try run(["audit", "verify", "--data-dir", directory.path])
        #expect(intact.status == 0)
        #expect(intact.output.contains("4 entries"))  // the policy in force, then three decisions

        let pool = try DatabasePool(path: directory.appendingPathComponent(AppDatabase.fileName).path)
        try await pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_entry_no_update")
            try db.execute(sql: "UPDATE audit_entry SET decision = 'rejected' WHERE seq = 3")
        }
        try pool.close()
        let broken = try run(["audit", "verify", "--data-dir", directory.path])
        #expect(broken.status == 1)
        #expect(broken.output.contains("seq 3"))
    }

    @Test func auditExportWritesWhatTheVerifierAccepts() async throws {
        let directory = try await dataDirectoryWithThreeDecisions()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdout = try run(["audit", "export", "--data-dir", directory.path])
        #expect(stdout.status == 0)
        #expect(stdout.output.split(separator: "\n").count == 4)
        let file = directory.appendingPathComponent("audit.csv")
        let csv = try run(["audit", "export", "--data-dir", directory.path, "--format", "csv", "--output", file.path])
        #expect(csv.status == 0)
        let verified = try Python.run(script: "scripts/verify_audit.py", arguments: [file.path])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("4 entries"))
        let bad = try run(["audit", "export", "--data-dir", directory.path, "--format", "xml"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("--format must be jsonl or csv"))
    }
}
