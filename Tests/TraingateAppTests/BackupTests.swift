import Crypto
import Foundation
import StrictDocuments
import Synchronization
import Testing
import TraingateStore
import TraingateTesting

@testable import TraingateApp

/// `DataBackup` (`traingate backup` and `restore`): a copy made while admissions are being
/// written holds every decision acknowledged before it began and a verifying chain; it is put
/// back only into a directory no server holds, and only with the master key it needs.
@Suite struct BackupTests {
    static let key = SymmetricKey(data: Hex.decode(TestApp.masterKey)!)

    /// Set once, read from the load's task.
    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    @Test func aBackupUnderLoadHoldsEveryDecisionAcknowledgedBeforeItAndRestores() async throws {
        let backup = TestApp.newDirectory()
        let restored = TestApp.newDirectory()
        defer { for directory in [backup, restored] { try? FileManager.default.removeItem(at: directory) } }
        let before = AcknowledgedCounter()
        let backupStarted = Flag()
        try await LiveServer.run { port, traingate, _ in
            let data = URL(fileURLWithPath: try traingate.database.path).deletingLastPathComponent()
            // What `traingate serve` holds while it runs (the in-process server here does not).
            let serving = try DataDirectoryLock(directory: data)
            defer { withExtendedLifetime(serving) {} }
            let image = Data(Bodies.image("progressive.jpg")).base64EncodedString()
            let load = Task {
                var index = 0
                while !Task.isCancelled {
                    index += 1
                    let extra = index % 4 == 0 ? #","image_base64":"\#(image)""# : ""
                    let answer = try? await RawHTTP.post(
                        port: port, path: "/v1/admissions", contentType: "application/json",
                        body: Bodies.admission(imageID: "load-\(index)", extra: extra))
                    // Acknowledged before the backup began: it must be in the copy.
                    if let answer, answer.hasPrefix("HTTP/1.1 201"), !backupStarted.isSet { before.add(answer) }
                }
            }
            #expect(try await LiveServer.eventually { before.ids.count >= 20 })
            backupStarted.set()
            let report = try await DataBackup.backup(from: data, to: backup, masterKey: Self.key, includeMasterKey: false)
            load.cancel()
            _ = await load.result
            #expect(report.entries > before.ids.count && !report.masterKeyIncluded)
            #expect(!FileManager.default.fileExists(atPath: MasterKeyFile.url(in: backup).path), "the key stays out unless asked")

            // The live directory is never overwritten.
            await #expect(throws: DataBackup.Failure.self) {
                try await DataBackup.restore(from: backup, to: data, masterKey: Self.key, replace: true)
            }
        }
        // Without the key, or with another one, nothing is restored.
        let refused = await #expect(throws: DataBackup.Failure.self) {
            try await DataBackup.restore(from: backup, to: restored, masterKey: nil, replace: false)
        }
        #expect(refused?.description.contains(DataBackup.fingerprint(Self.key)) == true)
        await #expect(throws: DataBackup.Failure.self) {
            try await DataBackup.restore(from: backup, to: restored, masterKey: SymmetricKey(size: .bits256), replace: false)
        }

        let report = try await DataBackup.restore(from: backup, to: restored, masterKey: Self.key, replace: false)
        let database = try AppDatabase.openReadOnly(directory: restored)
        let stored = try await database.writer.read { db in try String.fetchSet(db, sql: "SELECT id FROM admission") }
        #expect(before.ids.isSubset(of: stored), "\(before.ids.subtracting(stored).count) acknowledged decisions missing")
        #expect(try await AuditStore(database: database).verify().ok && report.entries > stored.count)
        try database.close()

        // A directory that holds a database is replaced only when asked.
        await #expect(throws: DataBackup.Failure.self) {
            try await DataBackup.restore(from: backup, to: restored, masterKey: Self.key, replace: false)
        }
        #expect(try await DataBackup.restore(from: backup, to: restored, masterKey: Self.key, replace: true).entries == report.entries)

        // The restored directory serves: the decisions are there to read.
        let app = try TestApp.build(directory: restored)
        try await app.application.test(.router) { client in
            let id = try #require(before.ids.first)
            #expect(try await client.get("/v1/admissions/\(id)", key: nil).status == .ok)
        }
    }

    @Test func aBackupWithItsKeyRestoresWithoutOne() async throws {
        let (app, data) = try TestApp.make { $0.masterKeyHex = nil }
        let backup = TestApp.newDirectory()
        let restored = TestApp.newDirectory()
        defer { for directory in [data, backup, restored] { try? FileManager.default.removeItem(at: directory) } }
        _ = try await app.application.test(.router) { client in try await client.postJSON("/v1/admissions", Bodies.admission()) }
        try app.database.close()
        let key = try MasterKeyFile.read(MasterKeyFile.url(in: data))
        await #expect(throws: DataBackup.Failure.self, "a key that does not open the database is refused") {
            try await DataBackup.backup(from: data, to: backup, masterKey: SymmetricKey(size: .bits256), includeMasterKey: true)
        }
        #expect(try await DataBackup.backup(from: data, to: backup, masterKey: key, includeMasterKey: true).masterKeyIncluded)
        await #expect(throws: DataBackup.Failure.self, "a backup goes into an empty directory") {
            try await DataBackup.backup(from: data, to: backup, masterKey: key, includeMasterKey: true)
        }
        _ = try await DataBackup.restore(from: backup, to: restored, masterKey: nil, replace: false)
        #expect(try MasterKeyFile.read(MasterKeyFile.url(in: restored)) == key)
    }
}
