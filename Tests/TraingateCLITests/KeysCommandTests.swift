import Foundation
import Testing
import TestFixtures

/// `traingate keys`: a key is printed once and stored only as a hash; list never shows it;
/// names are never reused; revoking twice fails the second time.
@Suite struct KeysCommandTests {
    private func keys(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try Subprocess.runSeparately(TraingateExecutable.url, ["keys"] + arguments)
    }

    @Test func createListRevoke() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let created = try keys(["create", "--role", "submitter", "--name", "ci-pipeline", "--data-dir", directory.path])
        #expect(created.status == 0, "\(created.stderr)")
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.wholeMatch(of: /tg_[0-9a-f]{16}_[0-9a-f]{64}/) != nil, "\(key)")
        #expect(created.stderr.contains("printed once"))

        let again = try keys(["create", "--role", "admin", "--name", "ci-pipeline", "--data-dir", directory.path])
        #expect(again.status != 0)
        #expect(again.stderr.contains("never reused"))

        let listed = try keys(["list", "--data-dir", directory.path])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("ci-pipeline") && listed.stdout.contains("submitter") && listed.stdout.contains("active"))
        #expect(!listed.stdout.contains(key) && !listed.stdout.contains(String(key.suffix(64))))

        #expect(try keys(["revoke", "ci-pipeline", "--data-dir", directory.path]).status == 0)
        #expect(try keys(["list", "--data-dir", directory.path]).stdout.contains("revoked"))
        #expect(try keys(["revoke", "ci-pipeline", "--data-dir", directory.path]).status == 1)

        // Only the hash is stored: the key's secret is in no file of the data directory.
        let secret = Array(key.suffix(64).utf8)
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let bytes = Array((try? Data(contentsOf: directory.appendingPathComponent(file))) ?? Data())
            #expect(!bytes.indices.contains { bytes[$0...].starts(with: secret) }, "\(file) holds the key")
        }
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-keys-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (arguments, message) in [
            (["--role", "root", "--name", "a"], "--role must be one of"),
            (["--role", "admin", "--name", "has space"], "--name must be"),
            (["--role", "admin", "--name", "a", "--expires", "tomorrow"], "--expires must be"),
            (["--role", "admin", "--name", "a", "--expires", "2001-01-01"], "in the past"),
        ] {
            let result = try keys(["create"] + arguments + ["--data-dir", directory.path])
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
