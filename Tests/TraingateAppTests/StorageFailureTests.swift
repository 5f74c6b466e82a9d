import Foundation
import Hummingbird
import HummingbirdTesting
import TestFixtures
import Testing
import TraingateStore
import TraingateTesting

@testable import TraingateApp

/// Storage that fails, for real: a disk that fills up (the data directory on a 16 MiB tmpfs),
/// and database files flipped read-only (`chattr +i` on an ext4 image mounted through a loop
/// device: writes through the server's open descriptors then fail with EPERM). While it lasts,
/// admissions answer 503 problem+json with `Retry-After` and record nothing, `/readyz` turns
/// unready, the failure is logged once; when the cause is gone the service recovers by itself.
/// Mounting needs root: where the test cannot mount, it does not run.
@Suite struct StorageFailureTests {
    static func mount(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Runs a tool; whether it exited 0.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        (try? Subprocess.run(URL(fileURLWithPath: tool), arguments))?.status == 0
    }

    /// A fresh ext4 file system of `megabytes` in an image file, mounted on `mountPoint` through a loop device.
    static func mountExt4(megabytes: Int, on mountPoint: URL) -> Bool {
        let image = mountPoint.appendingPathExtension("img")
        defer { try? FileManager.default.removeItem(at: image) }  // the mount keeps it open
        guard FileManager.default.createFile(atPath: image.path, contents: nil),
            (try? FileHandle(forWritingTo: image).truncate(atOffset: UInt64(megabytes) << 20)) != nil,
            run("/sbin/mkfs.ext4", ["-q", image.path])
        else { return false }
        return mount(["-o", "loop", image.path, mountPoint.path])
    }

    static func unmount(_ directory: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [directory.path]
        try? process.run()
        process.waitUntilExit()
    }

    static let canMount: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-mount-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard getuid() == 0, mount(["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path]) else { return false }
        unmount(probe)
        return true
    }()

    static let canMountExt4: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-ext4-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr"), mountExt4(megabytes: 8, on: probe) else {
            return false
        }
        unmount(probe)
        return true
    }()

    @Test(.enabled(if: canMount, "mounting a small tmpfs needs root"))
    func aFullDiskAnswers503UntilSpaceReturnsAndIsLoggedOnce() async throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        #expect(try await OffPool.run { Self.mount(["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint.path]) })
        defer {
            Self.unmount(mountPoint)
            try? FileManager.default.removeItem(at: mountPoint)
        }
        let logs = CapturedLogs()
        var configuration = AppConfiguration()
        configuration.dataDirectory = mountPoint.appendingPathComponent("data").path
        configuration.masterKeyHex = TestApp.masterKey
        let traingate = try buildApplication(configuration: configuration, logger: logs.logger)
        let image = Data(Bodies.image("china.jpg")).base64EncodedString()
        try await traingate.application.test(.router) { client in
            func admit(_ imageID: String) async throws -> TestResponse {
                try await client.postJSON("/v1/admissions", Bodies.admission(imageID: imageID, extra: #","image_base64":"\#(image)""#))
            }
            #expect(try await admit("before").status == .created)

            // Fill the file system to the last byte.
            let ballast = mountPoint.appendingPathComponent("ballast")
            try await OffPool.run {
                FileManager.default.createFile(atPath: ballast.path, contents: nil)
                let handle = try FileHandle(forWritingTo: ballast)
                let chunk = Data(count: 64 * 1024)
                while (try? handle.write(contentsOf: chunk)) != nil {}
                try? handle.close()
            }

            // A commit that fits in space SQLite already holds (a rewound log) still succeeds:
            // admissions go on until they need a new block, which the disk no longer has.
            var refusedIDs: [String] = []
            var attempt = 0
            while refusedIDs.count < 5 && attempt < 300 {
                attempt += 1
                let answer = try await admit("full-\(attempt)")
                guard answer.status == .serviceUnavailable else {
                    #expect(answer.status == .created, "\(answer.status)")
                    continue
                }
                #expect(answer.headers[.retryAfter] == "5")
                #expect(answer.json["type"] as? String == "https://traingate.dev/problems/storage-unavailable", "\(answer.json)")
                refusedIDs.append("full-\(attempt)")
            }
            #expect(refusedIDs.count == 5)
            #expect(try await LiveServer.eventually { try await client.get("/readyz", key: nil).status == .serviceUnavailable })
            // Logged when the failure starts, not per request (a commit that found reusable space
            // in between could end it and a later one start it again: never once per refusal).
            let failures = logs.count("storage failure: writes are refused (503) until it is fixed")
            #expect(failures >= 1 && failures < refusedIDs.count, "\(failures) failure lines for \(refusedIDs.count) refusals")

            // Space returns: the next admission and /readyz succeed without a restart.
            try FileManager.default.removeItem(at: ballast)
            #expect(try await LiveServer.eventually { try await admit("after-\(UUID())").status == .created })
            #expect(try await LiveServer.eventually { try await client.get("/readyz", key: nil).status == .ok })
            #expect(logs.count("storage recovered: writes succeed again") == failures, "every failure logged has its recovery")
            #expect(try await client.get("/v1/audit/verify", key: nil).json["ok"] as? Bool == true)
            let recorded = try await traingate.database.writer.read { db in
                try String.fetchSet(db, sql: "SELECT image_id FROM admission")
            }
            #expect(recorded.isDisjoint(with: refusedIDs), "nothing of a refused admission is recorded")
        }
    }

    @Test(.enabled(if: canMountExt4, "mounting an ext4 image through a loop device needs root, mkfs.ext4 and chattr"))
    func databaseFilesFlippedReadOnlyAnswer503UntilWritableAgain() async throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("traingate-readonly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        #expect(try await OffPool.run { Self.mountExt4(megabytes: 64, on: mountPoint) })
        let data = mountPoint.appendingPathComponent("data")
        let files = [AppDatabase.fileName, AppDatabase.fileName + "-wal"].map { data.appendingPathComponent($0).path }
        defer {
            Self.run("/usr/bin/chattr", ["-i"] + files)
            Self.unmount(mountPoint)
            try? FileManager.default.removeItem(at: mountPoint)
        }
        let logs = CapturedLogs()
        var configuration = AppConfiguration()
        configuration.dataDirectory = data.path
        configuration.masterKeyHex = TestApp.masterKey
        let traingate = try buildApplication(configuration: configuration, logger: logs.logger)
        try await traingate.application.test(.router) { client in
            #expect(try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "before")).status == .created)

            // The database and its log become immutable under the running server.
            #expect(try await OffPool.run { Self.run("/usr/bin/chattr", ["+i"] + files) })
            var refusedIDs: [String] = []
            for attempt in 1...5 {
                let answer = try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "readonly-\(attempt)"))
                #expect(answer.status == .serviceUnavailable, "\(answer.status)")
                #expect(answer.headers[.retryAfter] == "5")
                #expect(answer.json["type"] as? String == "https://traingate.dev/problems/storage-unavailable")
                refusedIDs.append("readonly-\(attempt)")
            }
            #expect(try await LiveServer.eventually { try await client.get("/readyz", key: nil).status == .serviceUnavailable })
            let failures = logs.count("storage failure: writes are refused (503) until it is fixed")
            #expect(failures == 1, "one failure line for one cause, not one per refusal")
            let scrape = PrometheusExposition(String(buffer: try await client.get("/metrics", key: nil).body))
            let refusedCommits = scrape.family("traingate_storage_errors_total")
                .filter { $0.labels["operation"] == "commit" }.reduce(0) { $0 + $1.value }
            #expect(refusedCommits >= 5)

            // Writable again: admissions and /readyz succeed without a restart.
            #expect(try await OffPool.run { Self.run("/usr/bin/chattr", ["-i"] + files) })
            #expect(
                try await LiveServer.eventually {
                    try await client.postJSON("/v1/admissions", Bodies.admission(imageID: "after-\(UUID())")).status == .created
                })
            #expect(try await LiveServer.eventually { try await client.get("/readyz", key: nil).status == .ok })
            #expect(logs.count("storage recovered: writes succeed again") == 1)
            #expect(try await client.get("/v1/audit/verify", key: nil).json["ok"] as? Bool == true)
            let recorded = try await traingate.database.writer.read { db in try String.fetchSet(db, sql: "SELECT image_id FROM admission") }
            #expect(recorded.contains("before") && recorded.isDisjoint(with: refusedIDs))
        }
    }
}
