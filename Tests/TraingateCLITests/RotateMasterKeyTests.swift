import Crypto
import Foundation
import HummingbirdTesting
import Testing
import TestFixtures
import TraingateApp
import TraingateStore
import TraingateTesting

/// `traingate keys rotate-master`: after it, the old master key opens nothing in the database,
/// the new one opens everything the old one did, subject references stay the same (so the same
/// admission is still recognised), and the chain verifies. It refuses while a server holds the
/// data directory, and finishes a rotation that was interrupted.
@Suite struct RotateMasterKeyTests {
    private func rotate(_ directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        try Subprocess.runSeparately(TraingateExecutable.url, ["keys", "rotate-master", "--data-dir", directory.path])
    }

    /// The app on `directory` with the master key file (not a configured key).
    private func app(_ directory: URL) throws -> Traingate {
        try TestApp.build(directory: directory) { $0.masterKeyHex = nil }
    }

    /// The sealed facts of the first decision, opened with `master`; nil when they do not open.
    private func facts(in directory: URL, master: SymmetricKey) async throws -> [UInt8]? {
        let database = try AppDatabase.open(directory: directory)
        let store = AuditStore(database: database)
        let entry = try #require(try await store.entries(AuditQuery(kind: .decision)).first)
        // After a rotation the old key does not even open the pseudonym key.
        guard let pseudonymKey = try? MasterKeyRotation.pseudonymKey(master: master, in: database) else { return nil }
        let lookup = PseudonymKey(pseudonymKey).pseudonym(source: "instagram", subjectID: "user-1")
        return try? await store.unsealedFacts(of: entry, subjectLookup: lookup, keyring: SubjectKeyring(masterKey: master))
    }

    @Test func aRotationLeavesTheOldKeyUselessAndEverythingElseAsItWas() async throws {
        let directory = TestApp.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try app(directory)
        let admitted = try await first.application.test(.router) { client in try await client.postJSON("/v1/admissions", Bodies.admission()) }
        #expect(admitted.status == .created)
        let admissionID = try #require(admitted.json["admission_id"] as? String)
        let keyFile = MasterKeyFile.url(in: directory)
        let old = try MasterKeyFile.read(keyFile)
        let before = try #require(try await facts(in: directory, master: old))

        // A server holds the directory: refused, nothing changed.
        do {
            let held = try DataDirectoryLock(directory: directory)
            let refused = try rotate(directory)
            #expect(refused.status != 0 && refused.stderr.contains("stop it first"), "\(refused.stderr)")
            withExtendedLifetime(held) {}
        }
        #expect(MasterKeyFile.hex(try MasterKeyFile.read(keyFile)) == MasterKeyFile.hex(old))

        let rotated = try rotate(directory)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stderr.contains("1 subject keys re-wrapped"))
        let new = try MasterKeyFile.read(keyFile)
        #expect(MasterKeyFile.hex(new) != MasterKeyFile.hex(old))
        #expect(try await facts(in: directory, master: new) == before)
        #expect(try await facts(in: directory, master: old) == nil)

        // Restarted on the new key: the same admission is recognised (same subject reference),
        // and the chain verifies.
        let second = try app(directory)
        try await second.application.test(.router) { client in
            let again = try await client.postJSON("/v1/admissions", Bodies.admission())
            #expect(again.status == .ok)
            #expect(again.json["admission_id"] as? String == admissionID)
            #expect(try await client.execute(uri: "/v1/audit/verify", method: .get).json["ok"] as? Bool == true)
        }
    }

    /// A rotation stopped after its commit but before the key file moved: the server refuses to
    /// start (it cannot tell which key is right), and running the command again finishes it.
    @Test func anInterruptedRotationIsFinished() async throws {
        let directory = TestApp.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try app(directory)
        _ = try await first.application.test(.router) { client in try await client.postJSON("/v1/admissions", Bodies.admission()) }
        let old = try MasterKeyFile.read(MasterKeyFile.url(in: directory))
        let new = SymmetricKey(size: .bits256)
        try MasterKeyFile.write(new, to: MasterKeyFile.nextURL(in: directory))
        try MasterKeyRotation.rotate(in: try AppDatabase.open(directory: directory), from: old, to: new, at: Date())

        #expect(throws: KeyFileError.self) { try app(directory) }
        let finished = try rotate(directory)
        #expect(finished.status == 0 && finished.stderr.contains("finished an interrupted rotation"), "\(finished.stderr)")
        #expect(MasterKeyFile.hex(try MasterKeyFile.read(MasterKeyFile.url(in: directory))) == MasterKeyFile.hex(new))
        #expect(try await facts(in: directory, master: new) != nil)
        _ = try app(directory)
    }
}
